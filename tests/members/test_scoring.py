"""Each scoring rule of members/scoring.py, with a test that fails without it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.activity import Kind, record
from members.models import Member, ScoringSettings
from members.roles import MODERATORS, STAFF
from members.scoring import Rules, awaiting_patrol, load_rules, rank_members, ranking, tally
from members.services import block_member

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)


def ago(**kwargs):
    return NOW - timedelta(**kwargs)


def score(member, **kwargs):
    result = tally(load_rules(), now=NOW, **kwargs).get(member.pk)
    return result.score if result else 0


def breakdown(member):
    return tally(load_rules(), now=NOW)[member.pk].breakdown


@pytest.fixture
def nadia(territory, veteran):
    return veteran("nadia@example.fr", "Nadia")


def settings_for(territory, **values):
    scoring = ScoringSettings.for_site(territory["home"].get_site())
    for name, value in values.items():
        setattr(scoring, name, value)
    scoring.save()
    return scoring


# Weights ------------------------------------------------------------------------------------------------


def test_default_weights(nadia, territory):
    page = territory["genicart"]
    record(nadia, Kind.PAGE_CREATED, page=page, at=ago(days=3))
    record(nadia, Kind.PROJECT_CREATED, page=page, at=ago(days=3))
    record(nadia, Kind.WORKSHOP_ATTENDED, page=page, at=ago(days=3))
    record(nadia, Kind.WRITEUP, page=page, at=ago(days=3))
    record(nadia, Kind.DISCUSSION, page=page, at=ago(days=3))
    assert breakdown(nadia) == {
        Kind.PAGE_CREATED: 5,
        Kind.PROJECT_CREATED: 8,
        Kind.WORKSHOP_ATTENDED: 15,
        Kind.WRITEUP: 10,
        Kind.DISCUSSION: 1,
    }


@pytest.mark.parametrize(("chars", "points"), [(19, 0), (20, 1), (99, 1), (100, 2), (300, 3), (1000, 4), (5000, 5)])
def test_an_edit_earns_1_to_5_points_by_size(chars, points):
    assert Rules(weights={Kind.EDIT: 1}).edit_points(chars) == points
    assert Rules(weights={Kind.EDIT: 2}).edit_points(chars) == 2 * points


def test_a_weight_of_zero_switches_a_kind_off(nadia, territory):
    record(nadia, Kind.PAGE_CREATED, page=territory["genicart"], at=ago(days=3))
    record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(days=3))
    assert score(nadia) == 5 + 3
    settings_for(territory, page_created_weight=0, edit_weight=0)
    assert score(nadia) == 0


def test_decisions_earn_nothing(nadia, territory):
    edit = record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(days=3))
    record(nadia, Kind.PATROLLED, concerns=edit, at=ago(days=2))
    assert score(nadia) == 3


# Runs ---------------------------------------------------------------------------------------------------------


def test_a_run_of_edits_on_one_page_within_an_hour_counts_once_at_its_largest(nadia, territory):
    page = territory["genicart"]
    for minutes, chars in [(50, 40), (30, 1500), (10, 120)]:
        record(nadia, Kind.EDIT, page=page, chars_changed=chars, at=ago(days=3, minutes=minutes))
    assert score(nadia) == 4  # one run, sized by its 1500 characters


def test_edits_more_than_an_hour_apart_are_two_runs(nadia, territory):
    page = territory["genicart"]
    record(nadia, Kind.EDIT, page=page, chars_changed=120, at=ago(days=3, minutes=90))
    record(nadia, Kind.EDIT, page=page, chars_changed=120, at=ago(days=3, minutes=0))
    assert score(nadia) == 4


def test_an_edit_on_another_page_breaks_the_run(nadia, territory):
    record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=120, at=ago(days=3, minutes=30))
    record(nadia, Kind.EDIT, page=territory["carriet"], chars_changed=120, at=ago(days=3, minutes=20))
    record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=120, at=ago(days=3, minutes=10))
    assert score(nadia) == 6


def test_runs_are_per_member(nadia, veteran, territory):
    karim = veteran("karim@example.fr", "Karim")
    page = territory["genicart"]
    record(nadia, Kind.EDIT, page=page, chars_changed=120, at=ago(days=3, minutes=30))
    record(karim, Kind.EDIT, page=page, chars_changed=120, at=ago(days=3, minutes=20))
    record(nadia, Kind.EDIT, page=page, chars_changed=120, at=ago(days=3, minutes=10))
    assert score(nadia) == 2
    assert score(karim) == 2


# Tiny, whitespace, reverted, hidden --------------------------------------------------------------------------


def test_whitespace_only_and_tiny_edits_score_nothing(nadia, territory):
    page = territory["genicart"]
    record(nadia, Kind.EDIT, page=page, chars_changed=800, facts={"whitespace_only": True}, at=ago(days=3))
    record(nadia, Kind.EDIT, page=page, chars_changed=19, at=ago(days=2))
    assert score(nadia) == 0
    record(nadia, Kind.EDIT, page=page, chars_changed=800, facts={"whitespace_only": False}, at=ago(days=1))
    assert score(nadia) == 3


def test_the_tiny_edit_threshold_is_a_setting(nadia, territory):
    record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=30, at=ago(days=3))
    assert score(nadia) == 1
    settings_for(territory, tiny_edit_chars=50)
    assert score(nadia) == 0


@pytest.mark.parametrize("decision", [Kind.REVERTED, Kind.HIDDEN])
def test_a_reverted_or_hidden_contribution_scores_nothing(nadia, moderator, territory, decision):
    edit = record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(days=3))
    post = record(nadia, Kind.DISCUSSION, page=territory["genicart"], at=ago(days=3))
    assert score(nadia) == 3 + 1
    record(moderator.member, decision, concerns=edit, at=ago(days=2))
    record(moderator.member, decision, concerns=post, at=ago(days=2))
    assert score(nadia) == 0


def test_a_members_revert_of_their_own_edit_scores_nothing(nadia, veteran, territory):
    page = territory["genicart"]
    original = record(nadia, Kind.EDIT, page=page, chars_changed=500, at=ago(days=3, hours=3))
    revision = page.save_revision()
    record(nadia, Kind.EDIT, page=page, revision=revision, chars_changed=500, at=ago(days=3))
    record(nadia, Kind.REVERTED, page=page, revision=revision, concerns=original, at=ago(days=3))
    assert score(nadia) == 0

    # Reverting someone else's edit is a contribution like any other.
    karim = veteran("karim@example.fr", "Karim")
    other = record(nadia, Kind.EDIT, page=page, chars_changed=500, at=ago(days=2, hours=3))
    revision = page.save_revision()
    record(karim, Kind.EDIT, page=page, revision=revision, chars_changed=500, at=ago(days=2))
    record(karim, Kind.REVERTED, page=page, revision=revision, concerns=other, at=ago(days=2))
    assert score(nadia) == 0
    assert score(karim) == 3


# Daily cap ---------------------------------------------------------------------------------------------------


def test_edit_points_are_capped_per_day_but_not_workshops(nadia, territory):
    pages = [territory[name] for name in ("genicart", "carriet", "palmer", "lormont", "cenon")]
    day = ago(days=3)
    for hour in range(8):  # eight runs of 5 points = 40 in one day
        record(nadia, Kind.EDIT, page=pages[hour % 5], chars_changed=4000, at=day + timedelta(minutes=hour * 61))
    assert score(nadia) == 30
    record(nadia, Kind.EDIT, page=pages[0], chars_changed=4000, at=ago(days=5))
    assert score(nadia) == 35  # another day, another cap
    record(nadia, Kind.WORKSHOP_ATTENDED, page=pages[0], at=day)
    record(nadia, Kind.WORKSHOP_ATTENDED, page=pages[1], at=day + timedelta(hours=2))
    assert score(nadia) == 35 + 30
    settings_for(territory, daily_edit_cap=10)
    assert score(nadia) == 10 + 5 + 30


# Patrol --------------------------------------------------------------------------------------------------------


def test_edits_of_new_members_score_once_patrolled(veteran, moderator, territory):
    newcomer = veteran("new@example.fr", "Nouvelle", days=3)
    edit = record(newcomer, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(days=1))
    record(newcomer, Kind.PAGE_CREATED, page=territory["genicart"], at=ago(days=1))
    assert score(newcomer) == 5  # the edit waits for a patrol
    record(moderator.member, Kind.PATROLLED, concerns=edit, at=ago(hours=1))
    assert score(newcomer) == 5 + 3


def test_unpatrolled_edits_of_new_members_age_out_of_the_window(veteran, territory):
    member = veteran("new@example.fr", "Nouvelle", days=20)
    record(member, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(days=15))  # made at 5 days old
    record(member, Kind.EDIT, page=territory["carriet"], chars_changed=500, at=ago(days=10))  # made at 10 days old
    record(member, Kind.EDIT, page=territory["palmer"], chars_changed=500, at=ago(days=5))  # made at 15 days old
    assert score(member) == 3 + 0 + 3
    settings_for(territory, patrol_window_days=0)
    assert score(member) == 9


def test_edits_awaiting_patrol_and_their_potential_points(veteran, moderator, territory):
    newcomer = veteran("new@example.fr", "Nouvelle", days=3)
    first = record(newcomer, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(days=1))
    record(newcomer, Kind.EDIT, page=territory["carriet"], chars_changed=50, at=ago(hours=5))
    record(newcomer, Kind.EDIT, page=territory["carriet"], chars_changed=5, at=ago(hours=4))  # tiny: never scores
    assert awaiting_patrol(newcomer, now=NOW) == (2, 3 + 1)
    record(moderator.member, Kind.PATROLLED, concerns=first, at=ago(hours=1))
    assert awaiting_patrol(newcomer, now=NOW) == (1, 1)
    settings_for(territory, patrol_window_days=0)
    assert awaiting_patrol(newcomer, now=NOW) == (0, 0)


def test_veterans_have_nothing_awaiting_patrol(nadia, territory):
    record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(hours=1))
    assert awaiting_patrol(nadia, now=NOW) == (0, 0)


# Eligibility -----------------------------------------------------------------------------------------------------


def contribute(member, territory, count=3, points_kind=Kind.PAGE_CREATED):
    for index in range(count):
        record(member, points_kind, page=territory["genicart"], at=ago(days=2, minutes=index))


def ranked(**kwargs):
    return [standing.member.pseudonym for standing in rank_members(now=NOW, **kwargs)]


@pytest.mark.parametrize(
    "role", [{"groups": [STAFF]}, {"groups": [MODERATORS]}, {"is_staff": True}, {"is_superuser": True}]
)
def test_staff_and_moderators_never_rank(nadia, make_user, territory, role):
    groups = role.pop("groups", [])
    user = make_user("team@example.fr", pseudonym="Equipe", groups=groups, **role)
    Member.objects.filter(user=user).update(created_at=ago(days=90))
    contribute(user.member, territory, count=5)
    contribute(nadia, territory)
    assert ranked() == ["Nadia"]


def test_blocked_and_recently_blocked_members_never_rank(nadia, veteran, moderator, territory):
    karim = veteran("karim@example.fr", "Karim")
    lea = veteran("lea@example.fr", "Lea")
    for member in (nadia, karim, lea):
        contribute(member, territory)
    block_member(nadia, reason="spam", by=moderator, starts_at=ago(days=1))
    block_member(karim, reason="insults", starts_at=ago(days=40), ends_at=ago(days=20))
    block_member(lea, reason="old story", starts_at=ago(days=80), ends_at=ago(days=31))
    assert ranked() == ["Lea"]
    assert nadia.is_blocked() and not karim.is_blocked() and karim.is_blocked(at=ago(days=30))


def test_members_rank_past_a_minimum_age_and_number_of_contributions(nadia, veteran, territory):
    young = veteran("young@example.fr", "Jeune", days=5)
    few = veteran("few@example.fr", "Peu")
    contribute(nadia, territory)
    contribute(young, territory)
    contribute(few, territory, count=2)
    assert ranked() == ["Nadia"]
    settings_for(territory, min_account_age_days=3, min_contributions=2)
    assert set(ranked()) == {"Nadia", "Jeune", "Peu"}


def test_voided_lines_do_not_count_towards_eligibility(nadia, moderator, territory):
    contribute(nadia, territory)
    assert ranked() == ["Nadia"]
    record(moderator.member, Kind.HIDDEN, concerns=nadia.activities.first())
    assert ranked() == []


# Ranking --------------------------------------------------------------------------------------------------------


def test_dense_ranking_with_breakdown(nadia, veteran, territory):
    karim = veteran("karim@example.fr", "Karim")
    lea = veteran("lea@example.fr", "Lea")
    contribute(nadia, territory, count=4)  # 20
    contribute(karim, territory, count=4)  # 20
    contribute(lea, territory, count=3)  # 15
    standings = rank_members(now=NOW)
    assert [(s.member.pseudonym, s.score, s.rank) for s in standings] == [
        ("Karim", 20, 1),
        ("Nadia", 20, 1),
        ("Lea", 15, 2),
    ]
    assert standings[0].breakdown == {Kind.PAGE_CREATED: 20}
    assert standings[0].contributions == 4


def test_rolling_periods(nadia, territory):
    for days in (2, 20, 200, 1000):
        record(nadia, Kind.PAGE_CREATED, page=territory["genicart"], at=ago(days=days))
    scores = {period: rank_members(period=period, now=NOW) for period in ("7d", "30d", "12m", "all")}
    assert [standings[0].score if standings else 0 for standings in scores.values()] == [5, 10, 15, 20]


def test_territory_filters_use_the_page_of_the_activity(nadia, territory):
    nadia.commune = territory["cenon"]
    nadia.save()
    for name in ("genicart", "genicart", "carriet", "palmer"):
        record(nadia, Kind.PAGE_CREATED, page=territory[name], at=ago(days=2))
    assert rank_members(commune=territory["lormont"], now=NOW)[0].score == 15
    assert rank_members(neighbourhood=territory["genicart"], now=NOW)[0].score == 10
    assert rank_members(commune=territory["cenon"], now=NOW)[0].score == 5


# Cache ------------------------------------------------------------------------------------------------------------


def test_the_cached_leaderboard_follows_a_change_of_weights(nadia, territory):
    contribute(nadia, territory)
    first = ranking()
    assert first.standings[0].score == 15
    record(nadia, Kind.PAGE_CREATED, page=territory["genicart"], at=ago(days=1))
    assert ranking().standings[0].score == 15  # cached
    assert ranking().computed_at == first.computed_at
    settings_for(territory, page_created_weight=2)
    assert ranking().standings[0].score == 8


def test_blocking_a_member_invalidates_the_cache(nadia, moderator, territory):
    contribute(nadia, territory)
    assert len(ranking().standings) == 1
    block_member(nadia, reason="spam", by=moderator)
    assert ranking().standings == []


def test_the_ranking_takes_a_fixed_number_of_queries(territory, veteran, django_assert_max_num_queries):
    def grow(count, offset):
        for index in range(offset, offset + count):
            member = veteran(f"m{index}@example.fr", f"Membre {index}")
            contribute(member, territory)
            for minutes in range(3):
                record(member, Kind.EDIT, page=territory["carriet"], chars_changed=300, at=ago(days=1, hours=minutes))

    load_rules()  # creates the settings rows once (scoring and moderation: 7 queries with them)
    grow(2, 0)
    with django_assert_max_num_queries(7):
        assert len(rank_members(now=NOW)) == 2
    grow(10, 2)
    with django_assert_max_num_queries(7):
        assert len(rank_members(now=NOW)) == 12


def test_a_stale_leaderboard_is_served_while_a_background_task_recomputes_it(nadia, territory, settings):
    from unittest import mock

    from members import scoring

    contribute(nadia, territory)
    first = ranking()
    record(nadia, Kind.PAGE_CREATED, page=territory["genicart"], at=ago(days=1))
    settings.LEADERBOARD_CACHE_SECONDS = 0.000001  # everything cached is stale now
    real_task = scoring.refresh_ranking_task
    with (
        mock.patch.object(scoring, "cache_is_shared", return_value=True),  # as with CACHE_URL=redis://...
        mock.patch.object(scoring, "refresh_ranking_task") as queued,
    ):
        stale = ranking()
        again = ranking()
    assert stale.computed_at == again.computed_at == first.computed_at  # served at once, not recomputed
    assert stale.standings[0].score == 15
    queued.enqueue.assert_called_once_with("all", None, None)  # one refresh however many visitors
    real_task.call("all", None, None)  # what the db_worker runs
    fresh = ranking()
    assert fresh.computed_at > first.computed_at
    assert fresh.standings[0].score == 20


def test_without_a_shared_cache_a_stale_leaderboard_is_recomputed_in_the_request(nadia, territory, settings):
    from unittest import mock

    from members import scoring

    contribute(nadia, territory)
    first = ranking()
    record(nadia, Kind.PAGE_CREATED, page=territory["genicart"], at=ago(days=1))
    settings.LEADERBOARD_CACHE_SECONDS = 0.000001
    with mock.patch.object(scoring, "refresh_ranking_task") as queued:
        fresh = ranking()
    queued.enqueue.assert_not_called()  # a task worker's per-process cache would never reach this process
    assert fresh.computed_at > first.computed_at
    assert fresh.standings[0].score == 20


def test_the_refresh_of_a_deleted_commune_does_nothing(nadia, territory):
    from members import scoring

    contribute(nadia, territory)
    scoring.refresh_ranking_task.call("all", 999_999, None)
    assert ranking(territory=territory["lormont"]).standings[0].score == 15
