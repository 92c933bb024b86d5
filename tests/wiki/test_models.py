"""Page types of the wiki, wiki links and the PageLink table, the pages as the public sees them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import add_page
from tests.wiki.conftest import edit
from wiki.models import CommunePage, HomePage, NeighbourhoodPage, PageLink, ProjectPage, WikiPage

pytestmark = pytest.mark.django_db


def test_wiki_and_project_pages_live_under_communes_and_neighbourhoods(territory):
    for place in ("lormont", "genicart"):
        assert WikiPage.can_create_at(territory[place])
        assert ProjectPage.can_create_at(territory[place])
    assert not WikiPage.can_create_at(territory["home"])
    assert not ProjectPage.can_create_at(territory["home"])
    article = add_page(territory["genicart"], WikiPage(title="Article", slug="article"))
    assert WikiPage.can_create_at(article)
    assert not ProjectPage.can_create_at(article)
    project = add_page(territory["genicart"], ProjectPage(title="Projet", slug="projet"))
    assert not WikiPage.can_create_at(project)
    assert not NeighbourhoodPage.can_create_at(article)
    assert not CommunePage.can_create_at(article)
    assert not HomePage.can_create_at(article)


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"start_date": datetime.date(2027, 3, 1), "end_date": datetime.date(2027, 2, 1)}, "end_date"),
        ({"budget": Decimal("-1")}, "budget"),
        ({"latitude": Decimal("91"), "longitude": Decimal("0")}, "latitude"),
        ({"latitude": Decimal("44.9"), "longitude": Decimal("-181")}, "longitude"),
        ({"latitude": Decimal("44.9")}, "longitude"),
        ({"status": "someday"}, "status"),
    ],
)
def test_project_facts_are_validated(territory, facts, field):
    project = ProjectPage(title="Projet", slug="projet", **facts)
    with pytest.raises(ValidationError) as refused:
        territory["genicart"].add_child(instance=project)
    assert field in refused.value.message_dict


def test_valid_project(territory):
    project = add_page(
        territory["genicart"],
        ProjectPage(
            title="Projet",
            slug="projet",
            status="in_progress",
            start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2027, 1, 1),
            budget=Decimal("0"),
            latitude=Decimal("44.88"),
            longitude=Decimal("-0.52"),
        ),
    )
    assert project.has_location and project.neighbourhood.pk == territory["genicart"].pk


def test_body_has_a_size_limit(territory):
    with pytest.raises(ValidationError) as refused:
        territory["genicart"].add_child(instance=WikiPage(title="Long", slug="long", body="x" * 100_001))
    assert "body" in refused.value.message_dict


# Wiki links ---------------------------------------------------------------------------


def test_links_are_recorded_on_save_and_red_links_turn_blue(territory, resident, write_page):
    page = write_page(territory["genicart"], "Le marché", "Près de [[génicart]], à côté de [[La piscine|la piscine]].")
    links = {link.target_title: link.target_id for link in PageLink.objects.filter(source=page)}
    assert links == {"génicart": territory["genicart"].pk, "La piscine": None}
    pool = write_page(territory["genicart"], "La Piscine", "Bassin de 25 m.")
    assert PageLink.objects.get(source=page, target_key="la piscine").target_id == pool.pk
    edit(page, resident, "Plus de lien.")
    assert not PageLink.objects.filter(source=page).exists()


def test_the_nearest_page_wins_among_homonyms(territory, resident, write_page):
    bourg_lormont = write_page(territory["lormont"], "Le Bourg")
    bourg_cenon = write_page(territory["cenon"], "Le Bourg")
    from_palmer = write_page(territory["palmer"], "Fête", "Départ du [[Le Bourg]].")
    from_carriet = write_page(territory["carriet"], "Balade", "Vers le [[le bourg|Bourg]].")
    assert PageLink.objects.get(source=from_palmer).target_id == bourg_cenon.pk
    assert PageLink.objects.get(source=from_carriet).target_id == bourg_lormont.pk


def test_page_view_shows_links_red_links_and_what_links_here(client, territory, resident, write_page):
    market = write_page(territory["genicart"], "Le marché", "# Horaires\n\nVoir [[Génicart]] et [[Parking du marché]].")
    write_page(territory["carriet"], "Balade", "On passe par [[le marché|le marché de Génicart]].")
    response = client.get(market.url)
    assert response.status_code == 200
    html = response.text
    assert "<h1>Horaires</h1>" in html
    assert '<a class="wiki-link" href="/lormont/genicart/">Génicart</a>' in html
    assert 'class="wiki-link new" href="/lormont/genicart/new/?title=Parking+du+march%C3%A9"' in html.replace(
        "&amp;", "&"
    )
    links_here = html[html.index("what-links-here-title") :]
    assert "/lormont/carriet/balade/" in links_here
    assert "Nadia" in html  # last edited by


def test_project_page_shows_its_facts(client, territory, resident, write_page):
    project = write_page(
        territory["palmer"],
        "Jardin partagé",
        "Un **jardin**.",
        page_type="project",
        status="in_progress",
        start_date=datetime.date(2027, 3, 1),
        budget=Decimal("12500"),
        latitude=Decimal("44.86"),
        longitude=Decimal("-0.53"),
    )
    html = client.get(project.url).text
    assert "<strong>jardin</strong>" in html
    assert "Palmer" in html and "12" in html and "44,86" in html
    assert "2027" in html


def test_places_list_their_projects_by_status(client, territory, resident, write_page):
    write_page(territory["genicart"], "Skatepark", page_type="project", status="idea")
    write_page(territory["genicart"], "Fresque", page_type="project", status="done")
    write_page(territory["lormont"], "Piste cyclable", page_type="project", status="idea")
    write_page(territory["palmer"], "Ailleurs", page_type="project", status="idea")
    write_page(territory["genicart"], "Le marché")

    html = client.get(territory["genicart"].url).text
    assert "Skatepark" in html and "Fresque" in html and "Le marché" in html
    assert "Piste cyclable" not in html and "Ailleurs" not in html
    assert html.index("Skatepark") < html.index("Fresque")  # ideas before done projects

    html = client.get(territory["lormont"].url).text  # a commune lists the projects of its neighbourhoods too
    assert "Skatepark" in html and "Piste cyclable" in html and "Ailleurs" not in html

    html = client.get(territory["lormont"].url + "?status=done").text
    projects = html[html.index('id="projects-title"') :]
    assert "Fresque" in projects and "Skatepark" not in projects
    assert client.get(territory["lormont"].url + "?status=bogus").status_code == 200


def grow(territory, write_page, page, count, start):
    for i in range(start, start + count):
        write_page(territory["genicart"], f"Page {i}", f"Lien vers [[{page.title}]] et [[Manquante {i}]].")
        write_page(territory["genicart"], f"Projet {i}", page_type="project", status="idea")
        edit(page, page.owner, f"Version {i}\n\n[[Génicart]] [[Page {i}]]")


def test_page_view_queries_do_not_grow(client, territory, resident, write_page, django_assert_max_num_queries):
    page = write_page(territory["genicart"], "Le marché", "[[Génicart]]")
    client.get(page.url)  # warm the site cache
    counts = []
    for count, start in ((1, 0), (12, 100)):
        grow(territory, write_page, page, count, start)
        measured = []
        for url in (page.url, territory["genicart"].url, territory["lormont"].url):
            with django_assert_max_num_queries(25) as queries:
                assert client.get(url).status_code == 200
            measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1]


def test_rendered_html_is_cached_until_the_text_or_a_link_changes(client, territory, resident, write_page):
    from django.core.cache import cache

    cache.clear()
    page = write_page(territory["genicart"], "Le marché", "Voir [[La piscine]].")
    assert 'class="wiki-link new"' in client.get(page.url).text
    assert 'class="wiki-link new"' in client.get(page.url).text  # from the cache
    pool = write_page(territory["genicart"], "La piscine", "Bassin.")
    assert f'<a class="wiki-link" href="{pool.url}">La piscine</a>' in client.get(page.url).text
    edit(page, resident, "Voir [[La piscine|le bassin]].")
    assert ">le bassin</a>" in client.get(page.url).text
    pool.unpublish()
    assert 'class="wiki-link new"' in client.get(page.url).text


def test_publishing_writes_only_the_revisions_with_a_scheduled_go_live(territory, write_page, resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from wagtail.models import Revision

    page = write_page(territory["genicart"], "Horaires", "Le lundi.")
    for day in ("mardi", "mercredi", "jeudi"):
        edit(page, resident, f"Le {day}.")
    scheduled = Revision.objects.filter(object_id=str(page.pk)).order_by("pk").first()
    Revision.objects.filter(pk=scheduled.pk).update(approved_go_live_at=timezone.now() + datetime.timedelta(days=3))

    with CaptureQueriesContext(connection) as queries:
        edit(page, resident, "Le vendredi.")
    clearing = [q["sql"] for q in queries.captured_queries if 'SET "approved_go_live_at" = NULL' in q["sql"]]
    assert clearing and all('"approved_go_live_at" IS NOT NULL' in sql for sql in clearing)
    assert not Revision.objects.filter(object_id=str(page.pk), approved_go_live_at__isnull=False).exists()
    assert WikiPage.objects.get(pk=page.pk).revisions.count() == 5


def test_an_invalid_page_is_still_refused_when_published(territory, write_page, resident):
    from wiki import services

    page = write_page(territory["genicart"], "Horaires", "Le lundi.")
    page = WikiPage.objects.get(pk=page.pk)
    page.body = "x" * 1_000_000  # over BODY_MAX_LENGTH: the model's validation stops it
    with pytest.raises(ValidationError):
        services._save(page, resident, summary="", action="edit")
    assert WikiPage.objects.get(pk=page.pk).body == "Le lundi."
