"""members.access: every predicate equals its query twin and the fast facts, for every role and block window.

Table-driven: each case is a kind of user, with what each rule must answer.
Run it on SQLite and on PostgreSQL (DATABASE_URL): the facts are raw SQL.
"""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from members import access
from members.models import Block, Member, ModerationSettings, Mute, Warning
from members.roles import ADMIN_GROUPS, MODERATORS, RESIDENTS, SENIOR_MODERATORS, STAFF
from members.services import delete_account

pytestmark = pytest.mark.django_db

RULES = {
    # name: (predicate, query twin taking the path to the user)
    "signed_in": (access.is_signed_in, access.signed_in_q),
    "verified": (access.is_verified, access.verified_q),
    "blocked": (access.is_blocked, access.blocked_q),
    "muted": (access.is_muted, access.muted_q),
    "warned": (access.is_warned, access.warned_q),
    "contributor": (access.is_contributor, access.contributor_q),
    "moderator": (access.is_moderator, access.moderator_q),
    "senior_moderator": (access.is_senior_moderator, access.senior_moderator_q),
    "staff": (access.is_staff_member, access.staff_q),
}
NOBODY = dict.fromkeys(RULES, False)
RESIDENT = {**NOBODY, "signed_in": True, "verified": True, "contributor": True}
BLOCKED = {**RESIDENT, "blocked": True, "contributor": False}
MUTED = {**RESIDENT, "muted": True, "contributor": False}
WARNED = {**RESIDENT, "warned": True, "contributor": False}
MODERATOR = {**RESIDENT, "moderator": True}
SENIOR = {**MODERATOR, "senior_moderator": True}
STAFF_MEMBER = {**SENIOR, "staff": True}


def _block(user, *, starts, ends=None):
    now = timezone.now()
    Block.objects.create(
        member=user.member,
        reason="Test",
        starts_at=now + starts,
        ends_at=None if ends is None else now + ends,
    )


def _mute(user, *, starts, ends):
    now = timezone.now()
    Mute.objects.create(member=user.member, reason="Test", starts_at=now + starts, ends_at=now + ends)


def _warn(user, *, acknowledged=False):
    now = timezone.now()
    Warning.objects.create(
        member=user.member, message="Test", created_at=now, acknowledged_at=now if acknowledged else None
    )


def _no_member(user):
    Member.objects.filter(user=user).delete()


DAY, SECOND = timedelta(days=1), timedelta(seconds=1)

# name: (make_user keywords, what to do to the user, expected answers)
CASES = {
    "anonymous": (None, None, NOBODY),
    "inactive": ({"is_active": False}, None, NOBODY),
    "inactive and blocked": ({"is_active": False}, lambda u: _block(u, starts=-DAY), {**NOBODY, "blocked": True}),
    "inactive staff": ({"is_active": False, "is_staff": True, "groups": [STAFF]}, None, NOBODY),
    "unverified": ({"verified": False}, None, {**NOBODY, "signed_in": True}),
    "unverified and blocked": (
        {"verified": False},
        lambda u: _block(u, starts=-DAY),
        {**NOBODY, "signed_in": True, "blocked": True},
    ),
    "resident": ({"groups": [RESIDENTS]}, None, RESIDENT),
    "block starting now": ({}, lambda u: _block(u, starts=timedelta(0), ends=DAY), BLOCKED),
    "block ended a second ago": ({}, lambda u: _block(u, starts=-DAY, ends=-SECOND), RESIDENT),
    "block starting tomorrow": ({}, lambda u: _block(u, starts=DAY), RESIDENT),
    "open-ended block": ({}, lambda u: _block(u, starts=-DAY), BLOCKED),
    "block ending tomorrow and open-ended block": (
        {},
        lambda u: (_block(u, starts=-3 * DAY), _block(u, starts=-DAY, ends=DAY)),
        BLOCKED,
    ),
    "blocked moderator": ({"groups": [MODERATORS]}, lambda u: _block(u, starts=-DAY), {**BLOCKED, "moderator": True}),
    "muted": ({}, lambda u: _mute(u, starts=-DAY, ends=DAY), MUTED),
    "mute ended a second ago": ({}, lambda u: _mute(u, starts=-DAY, ends=-SECOND), RESIDENT),
    "mute starting tomorrow": ({}, lambda u: _mute(u, starts=DAY, ends=2 * DAY), RESIDENT),
    "warned": ({}, _warn, WARNED),
    "warning acknowledged": ({}, lambda u: _warn(u, acknowledged=True), RESIDENT),
    "muted and warned moderator": (
        {"groups": [MODERATORS]},
        lambda u: (_mute(u, starts=-DAY, ends=DAY), _warn(u)),
        {**MODERATOR, "muted": True, "warned": True, "contributor": False},
    ),
    "moderator group": ({"groups": [MODERATORS]}, None, MODERATOR),
    "senior moderator group": ({"groups": [SENIOR_MODERATORS]}, None, SENIOR),
    "staff group": ({"groups": [STAFF]}, None, STAFF_MEMBER),
    "is_staff without a group": ({"is_staff": True}, None, STAFF_MEMBER),
    "superuser": ({"is_superuser": True}, None, STAFF_MEMBER),
    "no member row": ({}, _no_member, RESIDENT),
    "no member row, moderator": ({"groups": [MODERATORS]}, _no_member, MODERATOR),
    "deleted account": ({"groups": [MODERATORS]}, delete_account, NOBODY),
}


@pytest.fixture
def case(request, make_user):
    keywords, then, expected = CASES[request.param]
    if keywords is None:
        return AnonymousUser(), expected
    user = make_user(f"case{list(CASES).index(request.param)}@example.fr", **keywords)
    if then is not None:
        then(user)
    return get_user_model().objects.get(pk=user.pk), expected  # a fresh user object: nothing cached


@pytest.mark.parametrize("case", list(CASES), indirect=True)
def test_every_predicate_equals_its_query_twin(case):
    user, expected = case
    answers = {name: predicate(user) for name, (predicate, _twin) in RULES.items()}
    assert answers == expected
    if not user.is_authenticated:
        for _predicate, twin in RULES.values():
            assert not access.users(twin()).exists()  # no user at all in this case
        return
    over_users = {name: access.users(twin()).filter(pk=user.pk).exists() for name, (_p, twin) in RULES.items()}
    assert over_users == expected
    member = Member.objects.filter(user=user).first()
    if member is not None:
        members = Member.objects.filter(pk=member.pk)
        over_members = {name: members.filter(twin("user")).exists() for name, (_p, twin) in RULES.items()}
        assert over_members == expected


@pytest.mark.parametrize("case", list(CASES), indirect=True)
def test_the_fast_facts_say_what_the_orm_says(case):
    user, _expected = case
    if not user.is_authenticated:
        return
    facts = access.load_facts(user)
    assert facts["verified"] == EmailAddress.objects.filter(user=user, verified=True).exists()
    assert facts["blocked"] == Block.objects.in_force().filter(member__user=user).exists()
    assert facts["muted"] == Mute.objects.in_force().filter(member__user=user).exists()
    assert facts["warned"] == Warning.objects.filter(member__user=user, acknowledged_at__isnull=True).exists()
    assert facts["admin_groups"] == set(user.groups.filter(name__in=ADMIN_GROUPS).values_list("name", flat=True))
    fresh = get_user_model().objects.get(pk=user.pk)
    assert access.can_access_admin(fresh) == (fresh.is_active and fresh.has_perm("wagtailadmin.access_admin"))


def test_the_staff_and_moderator_groups_open_the_admin_and_residents_do_not(make_user):
    for groups, expected in (([RESIDENTS], False), ([MODERATORS], True), ([STAFF], True)):
        user = make_user(f"{groups[0].lower()}@example.fr", groups=groups)
        assert access.can_access_admin(user) is expected


@pytest.mark.parametrize(
    ("moment", "in_force"),
    [
        ("just before the start", False),
        ("at the start", True),
        ("just before the end", True),
        ("at the end", False),
        ("after the end", False),
    ],
)
@pytest.mark.parametrize("open_ended", [False, True])
def test_a_blocks_window_has_one_rule_everywhere(make_user, moment, in_force, open_ended):
    user = make_user("edge@example.fr")
    starts = timezone.now().replace(microsecond=0) - DAY
    ends = starts + 2 * DAY
    block = Block.objects.create(
        member=user.member, reason="Test", starts_at=starts, ends_at=None if open_ended else ends
    )
    tick = timedelta(microseconds=1)
    at = {
        "just before the start": starts - tick,
        "at the start": starts,
        "just before the end": ends - tick,
        "at the end": ends,
        "after the end": ends + SECOND,
    }[moment]
    expected = in_force or (open_ended and at >= starts)
    assert block.in_force(at) is expected
    assert Block.objects.in_force(at).filter(pk=block.pk).exists() is expected
    assert user.member.is_blocked(at) is expected
    assert access.is_blocked(user, at) is expected
    assert access.users(access.blocked_q(at=at)).filter(pk=user.pk).exists() is expected
    assert access.load_facts(user, at)["blocked"] is expected
    assert (user.member.current_block(at) == block) is expected


def test_the_block_a_member_is_told_about_is_the_one_ending_last(make_user):
    user = make_user("told@example.fr")
    now = timezone.now()
    open_ended = Block.objects.create(member=user.member, reason="Long", starts_at=now - 3 * DAY)
    Block.objects.create(member=user.member, reason="Short", starts_at=now - DAY, ends_at=now + DAY)
    Block.objects.create(member=user.member, reason="Over", starts_at=now - 9 * DAY, ends_at=now - 8 * DAY)
    assert access.block_in_force(user) == open_ended
    open_ended.ends_at = now + 2 * DAY
    open_ended.save()
    assert access.block_in_force(user) == open_ended
    open_ended.ends_at = now + timedelta(hours=1)
    open_ended.save()
    assert access.block_in_force(user).reason == "Short"
    assert access.block_in_force(AnonymousUser()) is None


def test_answers_are_read_once_per_user_object(make_user, django_assert_num_queries):
    user = get_user_model().objects.get(pk=make_user("once@example.fr", groups=[MODERATORS]).pk)
    with django_assert_num_queries(1):
        for _round in range(3):
            assert access.is_contributor(user)
            assert access.is_moderator(user)
            assert not access.is_staff_member(user)
            assert access.can_access_admin(user)


def test_the_engaged_residents_report_follows_the_moderator_rule(make_user):
    for keywords in ({"is_staff": True}, {"groups": [MODERATORS]}, {"groups": [STAFF]}, {"groups": [RESIDENTS]}):
        user = make_user(f"report{len(str(keywords))}{keywords.get('groups', [''])[0]}@example.fr", **keywords)
        assert access.can_view_engagement_report(user) is access.is_moderator(user)
        assert access.can_invite_from_report(user) is access.is_moderator(user)
    staff_without_group = get_user_model().objects.get(is_staff=True)
    assert access.can_view_engagement_report(staff_without_group)


@pytest.mark.parametrize("moderators_may_sanction", [False, True])
def test_who_may_sanction_follows_the_tier_and_the_setting(make_user, territory, moderators_may_sanction):
    from wagtail.models import Site

    rules = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    rules.moderators_may_sanction = moderators_may_sanction
    rules.save()
    expected = {
        "resident": ({"groups": [RESIDENTS]}, False),
        "moderator": ({"groups": [MODERATORS]}, moderators_may_sanction),
        "senior": ({"groups": [SENIOR_MODERATORS]}, True),
        "staff": ({"groups": [STAFF]}, True),
        "is_staff": ({"is_staff": True}, True),
    }
    for name, (keywords, may) in expected.items():
        user = get_user_model().objects.get(pk=make_user(f"tier-{name}@example.fr", **keywords).pk)
        assert access.can_sanction(user) is may, name
    assert access.can_sanction(AnonymousUser()) is False


@translation.override("en")
def test_why_cannot_post_says_what_stops_a_member(make_user):
    user = make_user("voice@example.fr")
    fresh = lambda: get_user_model().objects.get(pk=user.pk)  # noqa: E731 - nothing cached between questions
    assert access.why_cannot_post(fresh()) is None
    _warn(user)
    assert "acknowledge" in access.why_cannot_post(fresh())
    _mute(user, starts=-DAY, ends=DAY)
    reason = access.why_cannot_post(fresh())
    assert "muted" in reason and str((timezone.localtime() + DAY).year) in reason
    _block(user, starts=-DAY)
    assert "blocked" in access.why_cannot_post(fresh())
    assert access.why_cannot_post(AnonymousUser()) == "Sign in to take part."
