"""The leaderboard, public contributions pages and the points on /me/."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from members.activity import Kind, record
from tests.conftest import warm_site_caches
from tests.members.conftest import all_standings

pytestmark = pytest.mark.django_db

LEADERBOARD = "/leaderboard/"


def contribute(member, page, count=3, kind=Kind.PAGE_CREATED, days=2):
    for index in range(count):
        record(member, kind, page=page, at=timezone.now() - timedelta(days=days, minutes=index))


@pytest.fixture
def board(territory, veteran):
    """Karim (20 points, public), Nour (15, public) and Yasmine (3 in Cenon 20 days ago, private)."""
    nadia = veteran("nadia@example.fr", "Nour", show_on_leaderboard=True)
    karim = veteran("karim@example.fr", "Karim", show_on_leaderboard=True)
    lea = veteran("lea@example.fr", "Yasmine")
    contribute(nadia, territory["genicart"])
    contribute(karim, territory["carriet"], count=4)
    contribute(lea, territory["palmer"], kind=Kind.DISCUSSION, days=20)
    return {"nadia": nadia, "karim": karim, "lea": lea}


def test_leaderboard_urls():
    assert reverse("leaderboard:show-leaderboard") == LEADERBOARD
    assert reverse("leaderboard:member-contributions", args=[7]) == "/leaderboard/member/7/"


def test_leaderboard_for_every_role(client, board, any_role):
    _role, user = any_role
    if user:
        client.force_login(user)
    response = client.get(LEADERBOARD)
    assert response.status_code == 200
    public = [(s.member.pseudonym, s.score, s.rank) for s in response.context["public_page"]]
    assert public == [("Karim", 20, 1), ("Nour", 15, 2)]
    assert response.context["ranking"].hidden_count == 1
    assert "Yasmine" not in response.text
    assert "Karim" in response.text and ">20<" in response.text


@pytest.mark.parametrize(("period", "expected"), [("7d", ["Karim", "Nour"]), ("30d", ["Karim", "Nour", "Yasmine"])])
def test_periods(client, board, period, expected):
    response = client.get(LEADERBOARD, {"period": period})
    assert [s.member.pseudonym for s in all_standings(response)] == expected


def test_territory_filters(client, board, territory):
    response = client.get(LEADERBOARD, {"commune": territory["lormont"].pk})
    assert [s.member.pseudonym for s in all_standings(response)] == ["Karim", "Nour"]
    response = client.get(LEADERBOARD, {"commune": territory["lormont"].pk, "neighbourhood": territory["genicart"].pk})
    assert [s.member.pseudonym for s in all_standings(response)] == ["Nour"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "forever"}, "period"),
        ({"commune": "999999"}, "commune"),
        ({"commune": "lormont"}, "commune"),
        ({"neighbourhood": "x"}, "neighbourhood"),
    ],
)
def test_bad_query_strings_get_a_clear_message(client, territory, query, field):
    response = client.get(LEADERBOARD, query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert gettext("Please correct the errors below.") in response.text


def test_a_neighbourhood_outside_the_commune_is_explained(client, territory):
    response = client.get(LEADERBOARD, {"commune": territory["cenon"].pk, "neighbourhood": territory["genicart"].pk})
    assert response.status_code == 400
    assert "neighbourhood" in response.context["form"].errors


def test_the_leaderboard_runs_a_fixed_number_of_queries(client, territory, veteran, django_assert_max_num_queries):
    def grow(start, count):
        for index in range(start, start + count):
            member = veteran(f"m{index}@example.fr", f"Membre {index}", show_on_leaderboard=index % 2 == 0)
            contribute(member, territory["genicart"])
            record(member, Kind.EDIT, page=territory["carriet"], chars_changed=400)

    client.get(LEADERBOARD)  # creates the scoring and moderation settings (the rules read both: one query each)
    grow(0, 2)
    with django_assert_max_num_queries(13):
        response = client.get(LEADERBOARD, {"period": "30d", "commune": territory["lormont"].pk})
    assert len(all_standings(response)) == 2
    grow(2, 12)
    cache.clear()
    warm_site_caches()
    with django_assert_max_num_queries(13):
        response = client.get(LEADERBOARD, {"period": "30d", "commune": territory["lormont"].pk})
    assert len(all_standings(response)) == 14


def test_public_contributions_page_only_for_consenting_members(client, board, territory, moderator):
    response = client.get(reverse("leaderboard:member-contributions", args=[board["karim"].pk]))
    assert response.status_code == 200
    assert response.context["standing"].score == 20
    assert territory["carriet"].title in response.text
    assert client.get(reverse("leaderboard:member-contributions", args=[board["lea"].pk])).status_code == 404
    assert client.get("/leaderboard/member/999999/").status_code == 404
    # A hidden contribution disappears from the page too.
    hidden = board["karim"].activities.first()
    record(moderator.member, Kind.HIDDEN, concerns=hidden)
    response = client.get(reverse("leaderboard:member-contributions", args=[board["karim"].pk]))
    assert len(response.context["lines"]) == 3


def test_me_shows_my_score_rank_and_breakdown_even_if_private(client, board):
    client.force_login(board["lea"].user)
    response = client.get("/me/")
    standing = response.context["standing"]
    assert (standing.score, standing.rank) == (3, 3)
    assert standing.breakdown == {Kind.DISCUSSION: 3}
    assert response.context["not_ranking_because"] == []
    assert gettext("Only you see your rank: you chose not to appear on the public leaderboard.") in response.text


def test_me_explains_why_a_new_member_does_not_rank(client, territory, resident):
    record(resident.member, Kind.PAGE_CREATED, page=territory["genicart"])
    client.force_login(resident)
    response = client.get("/me/")
    assert response.context["standing"].score == 5
    assert response.context["standing"].rank is None
    assert len(response.context["not_ranking_because"]) == 2  # too new, too few contributions


def test_staff_see_their_points_but_never_rank(client, territory, staff):
    contribute(staff.member, territory["genicart"], count=5)
    client.force_login(staff)
    response = client.get("/me/")
    assert response.context["standing"].score == 25
    assert gettext("Staff and moderators do not take part in the ranking.") in response.context["not_ranking_because"]


def test_points_page_for_every_role(client, territory, any_role):
    _role, user = any_role
    if user is None:
        assert client.get("/me/points/").status_code == 302
        return
    client.force_login(user)
    response = client.get("/me/points/")
    assert response.status_code == 200
    assert response.context["edit_max"] == 5


def test_the_public_leaderboard_is_shown_a_page_at_a_time(client, territory, veteran, monkeypatch):
    monkeypatch.setattr("members.views.LEADERBOARD_PER_PAGE", 3)
    for index in range(7):
        member = veteran(f"p{index}@example.fr", f"Public {index}", show_on_leaderboard=True)
        contribute(member, territory["genicart"], count=index + 3)  # 3 contributions at least, to rank

    first = client.get(LEADERBOARD, {"period": "30d"})
    assert [s.member.pseudonym for s in first.context["public_page"]] == ["Public 6", "Public 5", "Public 4"]
    assert "page=2" in first.text and "period=30d" in first.text

    last = client.get(LEADERBOARD, {"period": "30d", "page": 3})
    assert [s.rank for s in last.context["public_page"]] == [7]

    for garbage in ("0", "-1", "abc", "999"):
        assert client.get(LEADERBOARD, {"period": "30d", "page": garbage}).status_code == 200


def test_a_withdrawn_consent_shows_at_once_even_on_a_stale_leaderboard(client, board, settings):
    from unittest import mock

    from members import scoring

    client.get(LEADERBOARD)  # computed and cached
    settings.LEADERBOARD_CACHE_SECONDS = 0.000001  # stale from now on: served while a task refreshes it
    board["karim"].__class__.objects.filter(pk=board["karim"].pk).update(show_on_leaderboard=False)
    with (
        mock.patch.object(scoring, "cache_is_shared", return_value=True),
        mock.patch.object(scoring, "refresh_ranking_task") as queued,
    ):
        response = client.get(LEADERBOARD)
    queued.enqueue.assert_called_once()
    assert [s.member.pseudonym for s in response.context["public_page"]] == ["Nour"]
    assert "Karim" not in response.text


def test_a_new_consent_given_on_the_profile_shows_at_the_next_refresh(client, board):
    from members.services import update_profile

    assert "Yasmine" not in client.get(LEADERBOARD, {"period": "30d"}).text
    lea = board["lea"]
    update_profile(
        lea,
        pseudonym=lea.pseudonym,
        commune=None,
        neighbourhood=None,
        show_on_leaderboard=True,
        accept_invitations=False,
    )
    response = client.get(LEADERBOARD, {"period": "30d"})  # the change asked for a refresh
    assert [s.member.pseudonym for s in response.context["public_page"]] == ["Karim", "Nour", "Yasmine"]
    assert response.context["ranking"].hidden_count == 0


def test_one_page_of_the_public_leaderboard_reads_one_cached_page(client, territory, veteran, monkeypatch):
    from members import scoring

    monkeypatch.setattr(scoring, "PUBLIC_PAGE_SIZE", 2)
    monkeypatch.setattr("members.views.LEADERBOARD_PER_PAGE", 2)
    for index in range(5):
        member = veteran(f"q{index}@example.fr", f"Public {index}", show_on_leaderboard=True)
        contribute(member, territory["genicart"], count=index + 3)
    client.get(LEADERBOARD)  # computed and cached in pages of 2
    read = []
    real_get_many = scoring.cache.get_many
    monkeypatch.setattr(scoring.cache, "get_many", lambda keys: read.append(list(keys)) or real_get_many(keys))
    second = client.get(LEADERBOARD, {"page": 2})
    assert [s.member.pseudonym for s in second.context["public_page"]] == ["Public 2", "Public 1"]
    assert read == [[f"{scoring._ranking_key('all', None, None)}{scoring.PUBLIC_PART}:1"]]

    cache.delete(read[0][0])  # evicted: computed again rather than shown empty
    again = client.get(LEADERBOARD, {"page": 2})
    assert [s.member.pseudonym for s in again.context["public_page"]] == ["Public 2", "Public 1"]


def test_public_rows_behave_as_a_sequence(territory, veteran):
    from members import scoring

    for index in range(3):
        member = veteran(f"s{index}@example.fr", f"Seq {index}", show_on_leaderboard=True)
        contribute(member, territory["genicart"], count=index + 3)
    board = scoring.public_leaderboard()
    rows = list(board.public[0:3])
    assert len(board.public) == 3 and [row[2] for row in rows] == [1, 2, 3]
    assert board.public[-1] == rows[-1] and board.public[0] == rows[0] and board.public[5:9] == []
    with pytest.raises(IndexError):
        board.public[3]


@pytest.mark.parametrize(("query", "shown"), [({}, "all"), ({"period": ""}, "all"), ({"period": "30d"}, "30d")])
def test_the_period_list_shows_the_period_displayed(client, board, any_role, query, shown):
    """Without ?period= the ranking is all time: the list says "Depuis le début", not its first choice."""
    _role, user = any_role
    if user:
        client.force_login(user)
    response = client.get(LEADERBOARD, query)
    selected = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', response.text.split('name="period"', 1)[1])
    assert selected[0] == shown
    assert (
        response.context["period_label"]
        == response.context["form"]
        .fields["period"]
        .choices[[value for value, _label in response.context["form"].fields["period"].choices].index(shown)][1]
    )
