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
