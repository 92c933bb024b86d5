"""Fixtures of the members tests: long-standing residents and a clean cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from members import scoring
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


def all_standings(response):
    """Every ranked member of the leaderboard shown, consenting or not."""
    shown = response.context["ranking"]
    return scoring.ranking(period=shown.period, territory=shown.territory, theme=shown.theme).standings
