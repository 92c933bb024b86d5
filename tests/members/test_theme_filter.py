"""The theme filter of the leaderboard and of the staff report (members.scoring.scoring_lines)."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from members.activity import Kind, record
from members.scoring import rank_members, ranking
from tests.conftest import add_page, warm_site_caches
from tests.members.conftest import all_standings
from wiki.models import ProjectPage, Theme, WikiPage

pytestmark = pytest.mark.django_db

LEADERBOARD = "/leaderboard/"
REPORT = "/admin/engaged-residents/"


def contribute(member, page, count=3, kind=Kind.PAGE_CREATED, days=2):
    for index in range(count):
        record(member, kind, page=page, at=timezone.now() - timedelta(days=days, minutes=index))


@pytest.fixture
def themes(db):
    return {theme.slug: theme for theme in Theme.objects.all()}


@pytest.fixture
def pages(territory, themes):
    """A wiki page on mobility, a project on mobility and the environment, a page on culture."""
    return {
        "tram": add_page(territory["genicart"], WikiPage(title="Tram", slug="tram", themes=[themes["mobilite"]])),
        "cycle": add_page(
            territory["palmer"],
            ProjectPage(title="Pistes", slug="pistes", themes=[themes["mobilite"], themes["environnement"]]),
        ),
        "museum": add_page(territory["carriet"], WikiPage(title="Musée", slug="musee", themes=[themes["culture"]])),
    }


@pytest.fixture
def board(territory, veteran, pages):
    """Nour (15 points on mobility pages), Karim (20 on culture, 5 on mobility), Yasmine (culture, a workshop)."""
    nour = veteran("nour@example.fr", "Nour", show_on_leaderboard=True)
    karim = veteran("karim@example.fr", "Karim", show_on_leaderboard=True)
    yasmine = veteran("yasmine@example.fr", "Yasmine", show_on_leaderboard=True)
    contribute(nour, pages["tram"], count=2)
    contribute(nour, pages["cycle"], count=1)
    contribute(karim, pages["museum"], count=4)
    contribute(karim, pages["cycle"], count=1)
    contribute(yasmine, pages["museum"], count=3)
    record(yasmine, Kind.WORKSHOP_ATTENDED, at=timezone.now() - timedelta(days=1))  # about no page
    return {"nour": nour, "karim": karim, "yasmine": yasmine}


def names(standings):
    return [(s.member.pseudonym, s.score) for s in standings]


# Scoring ------------------------------------------------------------------------------------------------


def test_only_lines_about_pages_carrying_the_theme_count(board, themes):
    assert names(rank_members()) == [("Yasmine", 30), ("Karim", 25), ("Nour", 15)]
    # Yasmine's points all come from culture pages (and a workshop): she drops out.
    assert names(rank_members(theme=themes["mobilite"])) == [("Nour", 15), ("Karim", 5)]
    assert names(rank_members(theme=themes["environnement"])) == [("Karim", 5), ("Nour", 5)]
    assert names(rank_members(theme=themes["culture"])) == [("Karim", 20), ("Yasmine", 15)]
    assert rank_members(theme=themes["sport"]) == []


def test_theme_and_territory_filters_combine(board, themes, territory):
    standings = rank_members(commune=territory["lormont"], theme=themes["mobilite"])
    assert names(standings) == [("Nour", 10)]  # the project is in Cenon, the tram page in Lormont


def test_a_page_given_the_theme_later_counts_for_it(board, themes, pages):
    assert names(rank_members(theme=themes["sport"], now=timezone.now())) == []
    museum = pages["museum"]
    museum.themes.add(themes["sport"])
    museum.save()
    assert names(rank_members(theme=themes["sport"], now=timezone.now())) == [("Karim", 20), ("Yasmine", 15)]


def test_each_theme_has_its_own_cached_ranking(board, themes):
    mobility = ranking(theme=themes["mobilite"])
    culture = ranking(theme=themes["culture"])
    assert mobility.theme == themes["mobilite"] and culture.theme == themes["culture"]
    assert names(mobility.standings) != names(culture.standings)
    assert names(ranking(theme=themes["mobilite"]).standings) == names(mobility.standings)
    assert names(ranking().standings) == [("Yasmine", 30), ("Karim", 25), ("Nour", 15)]


# The leaderboard ------------------------------------------------------------------------------------------------


def test_leaderboard_filters_by_theme_for_every_role(client, board, any_role):
    _role, user = any_role
    if user:
        client.force_login(user)
    response = client.get(LEADERBOARD, {"theme": "mobilite"})
    assert response.status_code == 200
    assert names(response.context["public_page"]) == [("Nour", 15), ("Karim", 5)]
    assert "Yasmine" not in response.text
    assert 'value="mobilite" selected' in response.text
    assert "Mobilité" in response.text


def test_an_unknown_theme_gets_a_clear_message(client, territory):
    response = client.get(LEADERBOARD, {"theme": "nowhere"})
    assert response.status_code == 400
    assert response.context["form"].errors["theme"] == [gettext("Unknown theme: choose one from the list.")]
    assert gettext("Unknown theme: choose one from the list.") in response.text


def test_the_leaderboard_with_a_theme_runs_a_fixed_number_of_queries(
    client, territory, veteran, pages, django_assert_max_num_queries
):
    def grow(start, count):
        for index in range(start, start + count):
            member = veteran(f"m{index}@example.fr", f"Membre {index}", show_on_leaderboard=index % 2 == 0)
            contribute(member, pages["tram"])
            contribute(member, pages["museum"])
            record(member, Kind.EDIT, page=pages["tram"], chars_changed=400)

    client.get(LEADERBOARD)  # creates the scoring settings
    query = {"period": "30d", "commune": territory["lormont"].pk, "theme": "mobilite"}
    grow(0, 2)
    with django_assert_max_num_queries(14):  # consenting members and one page of them: 2 queries
        response = client.get(LEADERBOARD, query)
    assert len(all_standings(response)) == 2
    grow(2, 12)
    cache.clear()
    warm_site_caches()
    with django_assert_max_num_queries(14):  # consenting members and one page of them: 2 queries
        response = client.get(LEADERBOARD, query)
    assert len(all_standings(response)) == 14
    assert {s.score for s in all_standings(response)} == {18}  # 15 for new pages, 3 for the edit


# The staff report -------------------------------------------------------------------------------------------------


def test_report_filters_by_theme(client, staff, board):
    client.force_login(staff)
    response = client.get(REPORT, {"theme": "mobilite"})
    assert response.status_code == 200
    rows = [(r.member.pseudonym, r.score, r.rank) for r in response.context["rows"]]
    # Every eligible member stays listed, as for a period; points only from the theme's pages.
    assert rows == [("Nour", 15, 1), ("Karim", 5, 2), ("Yasmine", 0, None)]
    assert response.context["chart"]["total"] == 4  # the chart counts the theme's lines only
    assert "mobilite" in response.context["csv_query"]


def test_report_exports_keep_the_theme(client, moderator, board):
    client.force_login(moderator)
    response = client.get(REPORT, {"format": "csv", "theme": "culture"})
    assert response.status_code == 200
    assert "-culture-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row[1], row[2]) for row in rows[1:]] == [("Karim", "20"), ("Yasmine", "15"), ("Nour", "0")]
    response = client.get(REPORT, {"format": "xlsx", "theme": "culture"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [(row[1], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == [("Karim", 20), ("Yasmine", 15), ("Nour", 0)]


def test_report_explains_an_unknown_theme(client, staff, territory):
    client.force_login(staff)
    response = client.get(REPORT, {"theme": "nowhere", "format": "csv"})
    assert response.status_code == 400
    assert gettext("Unknown theme: choose one from the list.") in response.text
