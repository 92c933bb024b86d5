"""Comments in the ledger, through the services: what scores, the daily cap, deletion; /me/points/ explains it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from discussion import services
from members import scoring
from members.models import Activity
from tests.discussion.conftest import LONG


@pytest.fixture(autouse=True)
def generous_limits(settings):
    settings.DISCUSSION_COMMENTS_PER_HOUR_NEW = 100


def points(user):
    return scoring.member_standing(user.member).breakdown.get(str(Activity.Kind.DISCUSSION), 0)


def test_a_comment_scores_a_short_one_and_a_reply_to_oneself_do_not(wiki_page, resident, other_resident, settings):
    settings.DISCUSSION_SHORT_COMMENT_CHARS = 20
    top = services.post_comment(resident, wiki_page, LONG)
    assert points(resident) == 1
    services.post_comment(resident, wiki_page, "Oui.")  # short
    services.post_comment(resident, wiki_page, LONG, parent=top)  # own reply
    assert points(resident) == 1
    services.post_comment(other_resident, wiki_page, LONG, parent=top)
    assert points(other_resident) == 1


def test_comments_are_capped_per_day(wiki_page, resident, settings):
    settings.DISCUSSION_DAILY_CAP = 3
    yesterday = timezone.now() - timedelta(days=1, hours=1)
    for n in range(5):
        services.post_comment(resident, wiki_page, f"{LONG} {n}")
        services.post_comment(resident, wiki_page, f"{LONG} hier {n}", now=yesterday)
    assert points(resident) == 6
    settings.DISCUSSION_DAILY_CAP = 0
    assert points(resident) == 10


def test_the_weight_applies(wiki_page, resident):
    from wagtail.models import Site

    from members.models import ScoringSettings

    scoring_settings = ScoringSettings.for_site(Site.objects.get(is_default_site=True))
    scoring_settings.discussion_weight = 3
    scoring_settings.save()
    services.post_comment(resident, wiki_page, LONG)
    assert points(resident) == 3


def test_a_deleted_comment_loses_its_points(wiki_page, resident):
    comment = services.post_comment(resident, wiki_page, LONG)
    services.post_comment(resident, wiki_page, LONG + " bis")
    services.delete_comment(resident, comment)
    assert points(resident) == 1


def test_points_page_explains_comments(client, resident, wiki_page):
    client.force_login(resident)
    services.post_comment(resident, wiki_page, LONG)
    with override("en"):
        html = client.get("/me/points/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="comments-points"' in html
    profile = client.get("/me/").content.decode()
    assert "Discussion" in profile or "discussion" in profile.lower()
