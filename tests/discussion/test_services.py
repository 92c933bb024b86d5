"""discussion.services: post, reply, edit, delete; the rules and the ledger lines they write."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import override

from discussion import services
from discussion.models import Comment, CommentVersion
from members.models import Activity
from tests.discussion.conftest import LONG


def refused(code, call, *args, **kwargs):
    with override("en"), pytest.raises(services.CommentRefused) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_post_writes_the_comment_and_a_ledger_line_in_one_go(wiki_page, other_resident):
    comment = services.post_comment(other_resident, wiki_page, "  " + LONG + "\r\n")
    assert comment.body == LONG
    assert (comment.depth, comment.parent, comment.thread, comment.role) == (0, None, None, "")
    line = Activity.objects.get(kind=Activity.Kind.DISCUSSION)
    assert line.member == other_resident.member
    assert line.page_id == wiki_page.pk
    assert line.target == f"discussion.comment:{comment.pk}"
    assert line.chars_changed == len(LONG)
    assert line.facts == {"own_reply": False, "depth": 0}


def test_replies_go_two_levels_deep_and_no_deeper(wiki_page, resident, other_resident):
    top = services.post_comment(resident, wiki_page, LONG)
    first = services.post_comment(other_resident, wiki_page, LONG, parent=top)
    second = services.post_comment(resident, wiki_page, LONG, parent=first)
    assert (first.depth, first.thread_id, second.depth, second.thread_id) == (1, top.pk, 2, top.pk)
    error = refused("too_deep", services.post_comment, other_resident, wiki_page, LONG, parent=second)
    assert "two levels" in error.messages[0]
    assert Comment.objects.count() == 3


def test_a_reply_to_ones_own_comment_is_marked_in_the_ledger(wiki_page, resident, other_resident):
    top = services.post_comment(resident, wiki_page, LONG)
    services.post_comment(resident, wiki_page, LONG, parent=top)
    services.post_comment(other_resident, wiki_page, LONG, parent=top)
    facts = list(Activity.objects.filter(kind=Activity.Kind.DISCUSSION).order_by("pk").values_list("facts", flat=True))
    assert [fact["own_reply"] for fact in facts] == [False, True, False]


@pytest.mark.parametrize(("body", "code"), [("", "empty"), ("  \n\r\n ", "empty"), ("a\x00b", "null_characters")])
def test_empty_or_null_text_is_refused(wiki_page, resident, body, code):
    refused(code, services.post_comment, resident, wiki_page, body)
    assert not Comment.objects.exists()
    assert not Activity.objects.filter(kind=Activity.Kind.DISCUSSION).exists()


@override_settings(DISCUSSION_MAX_LENGTH=50)
def test_a_text_over_the_limit_is_refused(wiki_page, resident):
    error = refused("too_long", services.post_comment, resident, wiki_page, "x" * 51)
    assert "at most 50 characters" in error.messages[0]
    assert services.post_comment(resident, wiki_page, "x" * 50)


def test_who_may_comment(wiki_page, resident, unverified, blocked, moderator, staff):
    refused("not_allowed", services.post_comment, unverified, wiki_page, LONG)
    error = refused("not_allowed", services.post_comment, blocked, wiki_page, LONG)
    assert "blocked" in error.messages[0]
    for user in (resident, moderator, staff):
        services.post_comment(user, wiki_page, LONG)
    assert Comment.objects.count() == 3


def test_roles_show_only_when_asked_and_only_for_moderators_and_staff(wiki_page, resident, moderator, staff):
    assert services.post_comment(resident, wiki_page, LONG, as_moderator=True).role == ""
    assert services.post_comment(moderator, wiki_page, LONG).role == ""
    assert services.post_comment(moderator, wiki_page, LONG, as_moderator=True).role == "moderator"
    assert services.post_comment(staff, wiki_page, LONG, as_moderator=True).role == "staff"


def test_pages_without_a_discussion_or_not_live(territory, wiki_page, resident):
    refused("not_allowed", services.post_comment, resident, territory["home"], LONG)
    wiki_page.unpublish()
    refused("not_allowed", services.post_comment, resident, wiki_page, LONG)


def test_communes_neighbourhoods_projects_and_workshops_have_a_discussion(territory, resident, make_workshop):
    from wiki import services as wiki_services

    project = wiki_services.create_page(resident, territory["lormont"], "Piste", "Projet.", page_type="project")
    for page in (territory["lormont"], territory["genicart"], project, make_workshop()):
        assert services.has_discussion(page)
        services.post_comment(resident, page, LONG)
    assert not services.has_discussion(territory["home"])


def test_a_reply_on_another_page_deleted_or_hidden_is_refused(territory, wiki_page, resident, other_resident):
    elsewhere = services.post_comment(resident, territory["lormont"], LONG)
    refused("foreign", services.post_comment, other_resident, wiki_page, LONG, parent=elsewhere)
    deleted = services.post_comment(resident, wiki_page, LONG)
    services.delete_comment(resident, deleted)
    refused("gone", services.post_comment, other_resident, wiki_page, LONG, parent=deleted)
    hidden = services.post_comment(resident, wiki_page, LONG)
    Comment.objects.filter(pk=hidden.pk).update(state=Comment.State.HIDDEN)
    hidden.refresh_from_db()
    refused("gone", services.post_comment, other_resident, wiki_page, LONG, parent=hidden)
    assert Comment.objects.filter(parent__isnull=False).count() == 0


def test_edit_within_the_window_keeps_the_earlier_text(wiki_page, resident, other_resident, settings):
    settings.DISCUSSION_EDIT_MINUTES = 15
    posted = timezone.now() - timedelta(minutes=10)
    comment = services.post_comment(resident, wiki_page, LONG, now=posted)
    refused("not_allowed", services.edit_comment, other_resident, comment, "Autre texte, pas le mien du tout.")
    edited = services.edit_comment(resident, comment, LONG + " Et des arbres.")
    assert edited.edited_at is not None
    version = CommentVersion.objects.get(comment=comment)
    assert (version.body, version.written_at) == (LONG, posted)
    refused("not_allowed", services.edit_comment, resident, edited, "Trop tard.", now=posted + timedelta(minutes=16))
    assert Comment.objects.get(pk=comment.pk).body == LONG + " Et des arbres."


def test_delete_keeps_the_replies_and_voids_the_points(wiki_page, resident, other_resident):
    top = services.post_comment(resident, wiki_page, LONG)
    reply = services.post_comment(other_resident, wiki_page, LONG, parent=top)
    refused("not_allowed", services.delete_comment, other_resident, top)
    services.delete_comment(resident, top)
    top.refresh_from_db()
    assert top.is_deleted and top.body == LONG
    assert Comment.objects.get(pk=reply.pk).parent_id == top.pk
    line = Activity.objects.get(kind=Activity.Kind.DISCUSSION, member=resident.member)
    assert Activity.objects.filter(kind=Activity.Kind.HIDDEN, concerns=line).count() == 1
    refused("not_allowed", services.delete_comment, resident, top)


@override_settings(DISCUSSION_COMMENTS_PER_HOUR_NEW=2, DISCUSSION_COMMENTS_PER_HOUR=4)
def test_new_accounts_have_a_lower_hourly_limit(wiki_page, resident, moderator):
    services.post_comment(resident, wiki_page, LONG)
    services.post_comment(resident, wiki_page, LONG)
    error = refused("rate_limited", services.post_comment, resident, wiki_page, LONG)
    assert "2 comments per hour" in error.messages[0] and "younger than" in error.messages[0]
    assert Comment.objects.filter(author=resident).count() == 2
    resident.date_joined = timezone.now() - timedelta(days=365)
    resident.save()
    services.post_comment(resident, wiki_page, LONG)
    services.post_comment(resident, wiki_page, LONG)
    error = refused("rate_limited", services.post_comment, resident, wiki_page, LONG)
    assert "younger" not in error.messages[0]
    for _ in range(5):  # moderators have no limit
        services.post_comment(moderator, wiki_page, LONG)
