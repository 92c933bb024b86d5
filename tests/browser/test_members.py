"""A resident's contribution reaches their score on /me/; the leaderboard and /me/ are accessible."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from members.activity import Kind, record
from members.models import Member
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me/")


def test_a_residents_edit_reaches_their_score(page, territory, resident, assert_accessible):
    joined = timezone.now() - timedelta(days=60)
    Member.objects.filter(user=resident).update(created_at=joined, show_on_leaderboard=True)
    sign_in(page, resident.email)
    assert page.get_by_test_id("my-score").inner_text() == "0"
    assert_accessible(page)

    for hours, chars in ((5, 400), (3, 1200), (1, 60)):  # three edits hours apart: 3 + 4 + 1 points
        at = timezone.now() - timedelta(hours=hours)
        record(resident.member, Kind.EDIT, page=territory["genicart"], chars_changed=chars, at=at)
        record(resident.member, Kind.EDIT, page=territory["carriet"], chars_changed=5, at=at)  # tiny: nothing
    page.reload()
    assert page.get_by_test_id("my-score").inner_text() == "8"

    cache.clear()  # the leaderboard is cached for 5 minutes; /me/ counts live
    page.goto("/leaderboard/")
    assert page.locator("table.leaderboard").get_by_role("link", name="Nadia").is_visible()
    assert_accessible(page)
    page.goto("/leaderboard/?period=forever")
    assert page.locator(".form-errors").is_visible()
    assert_accessible(page)


def test_staff_invite_residents_from_the_report(page, territory, staff, make_user):
    from members.roles import RESIDENTS
    from tests.conftest import add_page
    from workshops.models import Registration, WorkshopIndexPage, WorkshopPage

    start = timezone.now() + timedelta(days=10)
    index = add_page(territory["home"], WorkshopIndexPage(title="Ateliers", slug="ateliers"))
    workshop = add_page(
        index,
        WorkshopPage(
            title="Atelier jardins",
            slug="jardins",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue_name="Maison des habitants",
            address="12 rue Lavoisier",
            capacity=10,
        ),
    )
    residents = []
    for name, consents in (("Nour", True), ("Karim", False)):
        user = make_user(f"{name.lower()}@example.fr", pseudonym=name, groups=[RESIDENTS])
        Member.objects.filter(user=user).update(
            created_at=timezone.now() - timedelta(days=60), accept_invitations=consents
        )
        for _ in range(3):
            record(user.member, Kind.PAGE_CREATED, page=territory["genicart"])
        residents.append(user.member)
    sign_in(page, staff.email)
    page.goto("/admin/engaged-residents/")
    assert page.locator("svg[role=img]").is_visible()
    for member in residents:
        page.locator(f"#select-{member.pk}").check()
    page.locator("select[name=workshop]").select_option(str(workshop.pk))
    page.get_by_test_id("invite-button").click()
    page.wait_for_url("**/engaged-residents/invite/")
    assert page.get_by_test_id("invited").inner_text() == "Nour"
    assert "Karim" in page.get_by_test_id("not-invitable").inner_text()
    assert Registration.objects.get(workshop=workshop).member == residents[0]


def test_a_blocked_resident_sees_why_on_me(page, territory, resident, assert_accessible):
    from members.services import block_member

    block_member(resident.member, reason="Repeated spam", ends_at=timezone.now() + timedelta(days=3))
    sign_in(page, resident.email)
    assert page.get_by_test_id("block-reason").inner_text() == "Repeated spam"
    assert_accessible(page)


def test_a_member_reads_a_decision_acknowledges_a_warning_and_appeals(
    page, territory, resident, senior_moderator, assert_accessible
):
    from members.models import ModerationDecision
    from members.services import warn_member

    warning = warn_member(
        resident.member,
        by=senior_moderator,
        rule=ModerationDecision.Rule.HARASSMENT,
        statement="Vos derniers commentaires insultaient un voisin.",
    )
    sign_in(page, resident.email)
    section = page.locator("#my-moderation")
    assert "Vos derniers commentaires insultaient un voisin." in section.inner_text()
    assert_accessible(page)

    section.locator("form button[type=submit]").click()  # I have read this warning
    page.wait_for_url("**/me/#my-moderation")
    assert page.locator("#my-moderation form").count() == 0

    page.goto(f"/me/moderation/{warning.decision.pk}/appeal/")
    page.locator("main form button[type=submit]").click()  # empty: a clear error, nothing sent
    assert page.locator(".form-errors").is_visible()
    assert_accessible(page)
    page.locator("textarea[name=text]").fill("Je répondais à une insulte, relisez le fil.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me/#decision-*")
    assert ModerationDecision.objects.filter(action=ModerationDecision.Action.APPEAL).count() == 1
    assert_accessible(page)
