"""The home page leads: search box, upcoming workshops, latest projects, the projects' map,
grouped latest changes and commune cards (population, neighbourhoods, projects)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.wiki.conftest import edit
from wiki.models import CommunePage

pytestmark = pytest.mark.django_db


def login(client, user):
    if user is not None:
        client.force_login(user)


def card(html, title):
    """The HTML of the commune card of `title` on the home page."""
    start = html.index(f">{title}</a></h3>")
    return html[start : html.index("</ul>", start)]


def test_home_page_leads_with_search_workshops_projects_map_and_changes(
    client, territory, write_page, make_workshop, any_role
):
    role, user = any_role
    login(client, user)
    write_page(
        territory["genicart"],
        "Jardin partagé",
        "Des parcelles.",
        page_type="project",
        status="in_progress",
        latitude="44.8637",
        longitude="-0.5216",
    )
    make_workshop(title="Atelier mobilité", slug="atelier-mobilite")
    make_workshop(title="Atelier passé", slug="atelier-passe", starts_at=timezone.now() - timedelta(days=3))
    html = client.get("/").text
    assert 'role="search"' in html and 'action="/search/"' in html and 'name="q"' in html
    assert "Atelier mobilité" in html and "Atelier passé" not in html  # only upcoming workshops
    assert "Jardin partagé" in html and "En cours" in html  # the latest project with its status
    # The map of the territory's projects: Leaflet's canvas and the list it enhances (links without JavaScript).
    assert 'class="project-map territory-map"' in html
    assert 'data-lat="44.863700" data-lon="-0.521600"' in html
    assert "vendor/leaflet/leaflet.css" in html and "js/project-map.js" in html


def test_no_map_without_located_projects(client, territory, write_page):
    write_page(territory["genicart"], "Projet sans lieu", page_type="project")
    html = client.get("/").text
    assert "territory-map" not in html and "leaflet" not in html


def test_ten_edits_of_one_page_are_one_line(client, territory, write_page, resident, other_resident):
    market = write_page(territory["genicart"], "Le marché", "v0")
    for i in range(1, 10):
        edit(market, other_resident if i % 2 else resident, f"v{i}")
    write_page(territory["palmer"], "La piscine", "Bassin.")
    html = client.get("/").text
    changes = html[html.index('id="latest-changes-title"') :]
    changes = changes[: changes.index("</section>")]
    assert changes.count(">Le marché</a>") == 1 and changes.count(">La piscine</a>") == 1
    assert "10 modifications cette semaine" in changes
    # The latest change first, by its author, linked to their contributions.
    assert changes.index("La piscine") < changes.index("Le marché")
    assert 'href="/recent-changes/?member=Karim"' in changes


def test_commune_cards_say_population_neighbourhoods_and_projects(client, territory, write_page, staff):
    lormont = territory["lormont"]
    CommunePage.objects.filter(pk=lormont.pk).update(population=24148)
    write_page(territory["genicart"], "Jardin partagé", page_type="project")
    write_page(lormont, "Piste cyclable", page_type="project")
    secret = write_page(territory["carriet"], "Projet confidentiel", page_type="project")
    restriction = PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get_or_create(name="Staff")[0])

    html = client.get("/").text
    lormont_card = card(html, "Lormont")
    assert "24\u202f148 habitants" in lormont_card or "24\xa0148 habitants" in lormont_card
    assert "2 quartiers" in lormont_card
    assert "2 projets" in lormont_card  # the private project is not counted for the public
    assert "33249" not in html  # no INSEE code
    cenon_card = card(html, "Cenon")
    assert "1 quartier" in cenon_card and "0 projet" in cenon_card and "habitant" not in cenon_card

    client.force_login(staff)
    assert "3 projets" in card(client.get("/").text, "Lormont")


def test_commune_page_says_population_and_counts_projects_per_neighbourhood(client, territory, write_page):
    CommunePage.objects.filter(pk=territory["lormont"].pk).update(population=1)
    write_page(territory["genicart"], "Jardin partagé", page_type="project")
    html = client.get(territory["lormont"].url).text
    assert "1 habitant" in html and "INSEE" not in html
    genicart = html[html.index(">Génicart</a>") :]
    assert "1 projet" in genicart[:300]


def test_home_queries_do_not_grow(
    client, territory, write_page, resident, make_workshop, django_assert_max_num_queries
):
    client.get("/")  # warm Wagtail's site cache
    counts = []
    for size in (1, 15):
        for i in range(size):
            project = write_page(
                territory["genicart"] if i % 2 else territory["palmer"],
                f"Projet {size}-{i}",
                "x",
                page_type="project",
                latitude="44.86",
                longitude="-0.52",
            )
            edit(project, resident, "y")
            make_workshop(title=f"Atelier {size}-{i}", slug=f"atelier-{size}-{i}")
        with django_assert_max_num_queries(14) as queries:
            assert client.get("/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
