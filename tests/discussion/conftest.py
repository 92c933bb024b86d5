"""Discussion fixtures: a wiki page to talk about, residents, a blocked and an unverified member."""

import pytest

from members.roles import RESIDENTS
from members.services import block_member
from wiki import services as wiki_services


@pytest.fixture
def wiki_page(territory, resident):
    return wiki_services.create_page(resident, territory["genicart"], "Les jardins", "Un jardin partagé.")


@pytest.fixture
def other_resident(make_user):
    return make_user("karim@example.fr", pseudonym="Karim", groups=[RESIDENTS])


@pytest.fixture
def blocked(make_user):
    user = make_user("blocked@example.fr", pseudonym="Bloque", groups=[RESIDENTS])
    block_member(user.member, reason="Spam")
    return user


@pytest.fixture
def unverified(make_user):
    return make_user("new@example.fr", pseudonym="Nouveau", verified=False)


LONG = "Je pense que ce jardin partagé mérite un point d'eau et des bancs."


@pytest.fixture
def trusted_resident(make_user):
    """A resident whose account is a year old (their reports weigh more)."""
    from datetime import timedelta

    from django.utils import timezone

    user = make_user("ancien@example.fr", pseudonym="Ancien", groups=[RESIDENTS])
    year_ago = timezone.now() - timedelta(days=365)
    type(user).objects.filter(pk=user.pk).update(date_joined=year_ago)
    type(user.member).objects.filter(pk=user.member.pk).update(created_at=year_ago)
    user.refresh_from_db()
    user.member.refresh_from_db()
    return user


@pytest.fixture
def senior_moderator(make_user):
    """A moderator of the senior tier (the group "modsanctions" creates by migration; here get_or_create)."""
    from members.roles import MODERATORS

    return make_user("senior@example.fr", pseudonym="Senior", groups=[MODERATORS, "Senior moderators"])


@pytest.fixture
def make_reporters(make_user):
    """`count` new residents, each able to report."""

    def make(count, prefix="rep"):
        return [
            make_user(f"{prefix}{n}@example.fr", pseudonym=f"{prefix.title()} {n}", groups=[RESIDENTS])
            for n in range(count)
        ]

    return make


@pytest.fixture
def threshold():
    """Set Settings > Moderation's report threshold: threshold(Decimal or int)."""
    from wagtail.models import Site

    from members.models import ModerationSettings

    def set_threshold(value):
        moderation_settings = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
        moderation_settings.report_threshold = value
        moderation_settings.save()

    return set_threshold
