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


# Scope, places, excerpts without Markdown, and writing the page that was not found ------------------


def test_search_finds_communes_neighbourhoods_and_workshops_and_says_where(client, territory, make_workshop):
    genicart = territory["genicart"]
    genicart.introduction = "<p>Le quartier des <b>tours</b> et du parc.</p>"
    genicart.save_revision().publish()
    make_workshop(title="Atelier des tours", slug="atelier-tours", description="<p>On parle des tours.</p>")
    html = client.get("/search/?q=tours").text
    assert ">Génicart</a>" in html and "Quartier" in html
    assert ">Atelier des tours</a>" in html and "Atelier" in html
    results = html[html.index('class="search-results"') :]
    genicart = results[results.index(">Génicart</a>") :].split("</li>")[0]
    assert 'class="result-place">Lormont<' in genicart  # a neighbourhood is in its commune
    workshop = results[results.index(">Atelier des tours</a>") :].split("</li>")[0]
    assert 'class="result-place">Lormont<' in workshop  # a workshop is in its commune
    assert "<b>" not in genicart and "&lt;b&gt;" not in genicart
    assert "Lormont" in client.get("/search/?q=lormont").text


def test_each_result_says_its_commune_and_neighbourhood(client, pages):
    html = client.get("/search/?q=marche").text
    market = html[html.index(">Le marché</a>") :].split("</li>")[0]
    assert "Génicart, Lormont" in market


def test_excerpts_carry_no_markdown(client, territory, write_page):
    write_page(
        territory["palmer"],
        "Le square",
        "## Un **square** ombragé\n\n> Voir [[Jardin partagé|le jardin]] et [le plan](https://example.fr).\n\n"
        "- des *bancs*\n- une `fontaine`\n\nTitre souligné\n===\n\n\\*pas\\* d'étoiles &amp; rien",
    )
    html = client.get("/search/?q=square").text
    excerpt = html[html.index('class="excerpt">') + len('class="excerpt">') :].split("</p>")[0]
    excerpt = excerpt.replace("<mark>", "").replace("</mark>", "")
    for syntax in ("**", "##", "[[", "](", "> ", "`", "===", "\\*", "&amp;amp;"):
        assert syntax not in excerpt, syntax
    assert "le jardin" in excerpt and "le plan" in excerpt and "Un square ombragé" in excerpt


def test_excerpt_of_a_long_page_renders_a_bounded_window(territory):
    from wiki import search

    body = ("Du texte **gras** sans rapport. " * 5000) + "\n\nLe **kiosque** à musique.\n\n" + "Fin. " * 5000
    text = search.rendered_text(body, "kiosque")
    assert "Le kiosque à musique" in text and "**" not in text
    assert len(text) <= search.SOURCE_WINDOW


@pytest.mark.parametrize(
    ("role", "offers"),
    [("anonymous", "sign-in"), ("unverified", None), ("resident", "create"), ("moderator", "create")],
)
def test_nothing_found_offers_to_write_the_page(client, territory, make_user, role, offers):
    from members.roles import MODERATORS, RESIDENTS

    users = {
        "unverified": lambda: make_user("new@example.fr", pseudonym="Nouveau", verified=False, groups=[RESIDENTS]),
        "resident": lambda: make_user("r@example.fr", pseudonym="Rita", groups=[RESIDENTS]),
        "moderator": lambda: make_user("m@example.fr", pseudonym="Mo", groups=[MODERATORS]),
    }
    if role in users:
        client.force_login(users[role]())
    response = client.get("/search/?q=Kiosque+musique")
    assert response.status_code == 200
    html = response.text
    create_link = f'href="{territory["lormont"].url}new/?title=Kiosque+musique"'
    if offers == "create":
        assert create_link in html and f'href="{territory["cenon"].url}new/?title=Kiosque+musique"' in html
        assert client.get(f"{territory['lormont'].url}new/?title=Kiosque+musique").status_code == 200
    else:
        assert create_link not in html
    sign_in = "/accounts/login/?next=/search/%3Fq%3DKiosque%2Bmusique"
    assert (sign_in in html) == (offers == "sign-in")


def test_private_pages_and_workshops_stay_out_of_search(client, territory, write_page, make_workshop):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    secret = write_page(territory["genicart"], "Kiosque secret", "Réservé.")
    workshop = make_workshop(title="Kiosque interne", slug="kiosque-interne")
    for page in (secret, workshop):
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(Group.objects.get_or_create(name="Staff")[0])
    html = client.get("/search/?q=kiosque").text
    assert "Kiosque secret" not in html and "Kiosque interne" not in html


def test_search_queries_do_not_grow_with_places_and_workshops(
    client, territory, write_page, make_workshop, django_assert_max_num_queries
):
    counts = []
    for size in (3, 12):  # each size has every type: one query per type of the page of results
        for i in range(size):
            parent = territory["genicart"] if i % 2 else territory["lormont"]
            write_page(parent, f"Kiosque {size}-{i}", "Le **kiosque**.", page_type="project" if i % 3 else "wiki")
            make_workshop(title=f"Kiosque atelier {size}-{i}", slug=f"kiosque-{size}-{i}")
        client.get("/search/?q=kiosque")  # warms Wagtail's site and content type caches
        with django_assert_max_num_queries(14) as queries:
            assert client.get("/search/?q=kiosque").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
