"""/search/: Wagtail search over wiki pages and projects, with excerpts."""

import pytest

from tests.wiki.conftest import edit
from wiki.search import excerpt

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(territory, write_page):
    return {
        "market": write_page(
            territory["genicart"], "Le marché", "Le marché de Génicart a lieu le samedi, place du Marché."
        ),
        "garden": write_page(
            territory["palmer"],
            "Jardin partagé",
            "Des parcelles pour les habitants, près du **parc Palmer**.",
            page_type="project",
        ),
        "pool": write_page(territory["carriet"], "La piscine", "Bassin de 25 mètres."),
    }


def test_search_finds_pages_and_projects_with_an_excerpt(client, pages):
    response = client.get("/search/?q=parcelles")
    assert response.status_code == 200
    html = response.text
    assert "Jardin partagé" in html and "Le marché" not in html
    assert "<mark>parcelles</mark>" in html
    assert "Projet" in html


def test_search_by_title_and_in_new_revisions(client, pages, resident):
    assert "La piscine" in client.get("/search/?q=piscine").text
    edit(pages["pool"], resident, "Bassin olympique de 50 mètres.")
    assert "La piscine" in client.get("/search/?q=olympique").text


def test_search_without_query_or_results(client, pages):
    assert client.get("/search/").status_code == 200
    response = client.get("/search/?q=zzzxxyy")
    assert response.status_code == 200 and "zzzxxyy" in response.text
    assert client.get("/search/?q=" + "a" * 5000).status_code == 200
    assert client.get("/search/?q=march%C3%A9&page=40").status_code == 404


@pytest.mark.postgres
def test_french_stemming_on_postgresql(client, pages, settings):
    if not settings.DATABASE_IS_POSTGRES:
        pytest.skip("French stemming needs PostgreSQL")
    assert "Le marché" in client.get("/search/?q=march%C3%A9s").text  # marchés -> marché


def test_excerpt_highlights_words_without_accents_and_escapes():
    text = "Le marché de Génicart <script>. " * 2 + "x " * 300
    html = str(excerpt(text, "genicart MARCHES"))
    assert "<mark>marché</mark>" in html and "<mark>Génicart</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.endswith("…")


def test_search_queries_do_not_grow(client, territory, write_page, django_assert_max_num_queries):
    counts = []
    for size in (2, 25):
        for i in range(size):
            write_page(territory["genicart"], f"Marché {size}-{i}", "Le marché du quartier.")
        client.get("/search/?q=march%C3%A9")  # warms Wagtail's site and content type caches
        with django_assert_max_num_queries(12) as queries:
            assert client.get("/search/?q=march%C3%A9").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
