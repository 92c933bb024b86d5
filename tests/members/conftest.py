"""Fixtures of the members tests: long-standing residents and a clean cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from members.models import Member
from members.roles import RESIDENTS


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def veteran(make_user):
    """A resident whose account is `days` old (past the patrol window and the minimum age)."""

    def make(email, pseudonym, *, days=60, show_on_leaderboard=False, **extra):
        user = make_user(email, pseudonym=pseudonym, groups=[RESIDENTS], **extra)
        Member.objects.filter(user=user).update(
            created_at=timezone.now() - timedelta(days=days), show_on_leaderboard=show_on_leaderboard
        )
        user.member.refresh_from_db()
        return user.member

    return make


@pytest.fixture
def make_workshop(territory):
    """A live workshop under a workshop index (created on first use), 10 days ahead by default."""
    from tests.conftest import add_page
    from workshops.models import WorkshopIndexPage, WorkshopPage

    counter = iter(range(1, 10_000))
    index = {}

    def make(**fields):
        if "index" not in index:
            index["index"] = add_page(territory["home"], WorkshopIndexPage(title="Ateliers", slug="ateliers"))
        n = next(counter)
        start = fields.pop("starts_at", timezone.now() + timedelta(days=10))
        defaults = {
            "title": f"Atelier {n}",
            "slug": f"atelier-{n}",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "venue_name": "Maison des habitants",
            "address": "12 rue Lavoisier, 33310 Lormont",
            "commune": territory["lormont"],
            "capacity": 10,
        }
        defaults.update(fields)
        return add_page(index["index"], WorkshopPage(**defaults))

    return make
