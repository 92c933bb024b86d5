"""Mutes and warnings on every way of posting, and the comments held for a moderator (Settings > Moderation)."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from wagtail.models import Site

from discussion import listing, services
from discussion.models import Comment
from members.models import Activity, ModerationDecision, ModerationSettings
from members.services import mute_member, warn_member
from tests.discussion.conftest import LONG
from wiki.models import WikiPage

pytestmark = pytest.mark.django_db
Rule = ModerationDecision.Rule
DAY = timedelta(days=1)
LINK = "Voyez https://promo.example.com pour des jardins pas chers, vraiment pas chers."


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def moderation(**values):
    rules = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()


def age(user, days):
    get_user_model().objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    return fresh(user)


@pytest.fixture(params=["muted", "warned"])
def silenced(request, other_resident, senior_moderator):
    """A resident muted for three days, or warned and who has not acknowledged it."""
    if request.param == "muted":
        mute_member(
            other_resident.member,
            by=senior_moderator,
            ends_at=timezone.now() + 3 * DAY,
            rule=Rule.SPAM,
            statement="Publicité.",
        )
    else:
        warn_member(other_resident.member, by=senior_moderator, rule=Rule.SPAM, statement="Publicité.")
    return request.param, fresh(other_resident)


# Enforcement -------------------------------------------------------------------------------------


def test_a_silenced_member_cannot_comment_and_is_told_why(wiki_page, silenced):
    state, user = silenced
    with pytest.raises(services.CommentRefused) as refusal:
        services.post_comment(user, wiki_page, LONG)
    assert ("muted" if state == "muted" else "acknowledge") in refusal.value.messages[0]
    assert not Comment.objects.exists()


def test_the_comment_form_keeps_the_text_of_a_silenced_member(client, wiki_page, silenced):
    state, user = silenced
    client.force_login(user)
    response = client.post(f"/discussion/{wiki_page.pk}/", {"body": LONG})
    assert response.status_code == 400
    assert LONG.replace("'", "&#x27;") in response.text
    assert ("muted your account until" if state == "muted" else "acknowledge it on your profile") in response.text
    assert not Comment.objects.exists()


def test_a_silenced_member_cannot_edit_or_create_wiki_pages(client, territory, wiki_page, silenced):
    state, user = silenced
    client.force_login(user)
    edit = client.post(
        f"{wiki_page.url}edit/",
        {
            "title": wiki_page.title,
            "body": "Tout effacé",
            "summary": "",
            "base_revision_id": wiki_page.latest_revision_id,
        },
    )
    assert edit.status_code == 403
    assert ("muted your account until" if state == "muted" else "acknowledge it") in edit.text
    assert "/me/#my-moderation" in edit.text
    wiki_page.refresh_from_db()
    assert wiki_page.body == "Un jardin partagé."
    new = client.post(f"{territory['genicart'].url}new/", {"kind": "wiki", "title": "Autre", "body": "Texte"})
    assert new.status_code == 403
    assert not WikiPage.objects.filter(title="Autre").exists()


def test_once_acknowledged_or_over_the_member_posts_again(wiki_page, other_resident, senior_moderator):
    from members.services import acknowledge_warning, lift_mute

    warning = warn_member(other_resident.member, by=senior_moderator, rule=Rule.SPAM, statement="x")
    mute = mute_member(
        other_resident.member, by=senior_moderator, ends_at=timezone.now() + DAY, rule=Rule.SPAM, statement="x"
    )
    acknowledge_warning(other_resident.member, warning)
    assert not services.can_comment(fresh(other_resident), wiki_page)
    lift_mute(mute, by=senior_moderator)
    assert services.post_comment(fresh(other_resident), wiki_page, LONG).state == Comment.State.PUBLISHED


# Held comments ----------------------------------------------------------------------------------


def test_a_link_from_a_new_account_waits_for_a_moderator(client, wiki_page, other_resident, resident):
    comment = services.post_comment(other_resident, wiki_page, LINK)
    assert comment.state == Comment.State.HELD
    hold = ModerationDecision.objects.get(action=ModerationDecision.Action.HOLD)
    assert (hold.member, hold.actor, hold.statement) == (other_resident.member, None, "")
    assert hold.target == f"discussion.comment:{comment.pk}" and hold.target_url.endswith(f"#comment-{comment.pk}")
    # No points before a moderator publishes it.
    assert not Activity.objects.filter(kind=Activity.Kind.DISCUSSION).exists()
    assert listing.comment_count(wiki_page) == 0
    # The author sees it as waiting; others do not see it.
    client.force_login(other_resident)
    response = client.post(f"/discussion/{wiki_page.pk}/", {"body": LINK}, follow=True)
    assert "Your comment waits for a moderator" in response.text
    assert "promo.example.com" in response.text
    client.force_login(resident)
    assert "promo.example.com" not in client.get(f"/discussion/{wiki_page.pk}/").text


@pytest.mark.parametrize(
    ("text", "held"),
    [
        (LINK, True),
        ("Allez sur www.promo.example.com pour voir les offres du jardin, vraiment.", True),
        ("Un [lien](//promo.example.com) pour voir les offres du jardin partagé de Génicart.", True),
        ("Écrivez-moi : <mailto:spam@example.com> pour les offres du jardin partagé.", True),
        ("Voyez la page [les jardins](/lormont/genicart/les-jardins/) pour les horaires.", False),
        (LONG, False),
    ],
)
def test_what_counts_as_a_link(wiki_page, other_resident, text, held):
    assert (services.post_comment(other_resident, wiki_page, text).state == Comment.State.HELD) is held


def test_links_from_older_accounts_moderators_or_with_the_setting_off_are_published(
    wiki_page, other_resident, moderator, make_user
):
    assert services.post_comment(age(other_resident, 400), wiki_page, LINK).state == Comment.State.PUBLISHED
    assert services.post_comment(moderator, wiki_page, LINK).state == Comment.State.PUBLISHED
    moderation(hold_links_from_new_accounts=False)
    newcomer = make_user("nouvelle@example.fr", pseudonym="Nouvelle")
    assert services.post_comment(newcomer, wiki_page, LINK).state == Comment.State.PUBLISHED


def test_a_new_members_first_comments_can_be_held(wiki_page, other_resident, moderator):
    moderation(hold_first_comments=2)
    user = age(other_resident, 400)
    states = [services.post_comment(user, wiki_page, f"{LONG} {index}").state for index in range(3)]
    assert states == [Comment.State.HELD, Comment.State.HELD, Comment.State.PUBLISHED]
    assert services.post_comment(moderator, wiki_page, LONG).state == Comment.State.PUBLISHED


def test_a_published_held_comment_scores_from_then_on(wiki_page, other_resident, moderator):
    from discussion import moderation

    comment = services.post_comment(other_resident, wiki_page, LINK)
    with pytest.raises(PermissionDenied):
        moderation.publish_held(other_resident, comment)
    moderation.publish_held(moderator, comment)
    published = Comment.objects.get(pk=comment.pk)
    assert published.state == Comment.State.PUBLISHED
    line = Activity.objects.get(kind=Activity.Kind.DISCUSSION)
    assert (line.member, line.occurred_at, line.target) == (
        other_resident.member,
        comment.created_at,
        f"discussion.comment:{comment.pk}",
    )
    assert ModerationDecision.objects.filter(action=ModerationDecision.Action.RESTORE, actor=moderator).exists()
    # Deleting it afterwards takes its points back, as for any comment.
    services.delete_comment(other_resident, published)
    assert Activity.objects.filter(kind=Activity.Kind.HIDDEN, concerns=line).exists()


def test_finding_links_is_linear_in_the_texts_length():
    for text in ("www" * 200_000, "](" * 200_000, "http:/" * 100_000, "<" * 300_000):
        start = time.perf_counter()
        services.has_link(text)
        assert time.perf_counter() - start < 0.5
