"""What members do in a discussion: post, reply, edit, delete. Each verb checks its rules, changes the
comments inside one transaction and writes its ledger line in the same transaction.

Refusals are `CommentRefused` (a ValidationError with a translated message: the
form shows it and keeps the text) or `CommentRateLimited` (too many comments
in the last hour). Nothing is saved when either is raised.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from discussion import follows
from discussion.models import DISCUSSED_PAGE_TYPES, MAX_DEPTH, Comment, CommentVersion
from members import access, activity, visibility
from members.models import Activity, ModerationDecision
from members.moderation import moderation_settings
from wiki import markup, permissions


class CommentRefused(ValidationError):
    """A comment, reply, edit or deletion that the rules refuse: nothing was saved."""


class CommentRateLimited(CommentRefused):
    """Too many comments in the last hour."""


# Rules ---------------------------------------------------------------------------------------


def max_length():
    return settings.DISCUSSION_MAX_LENGTH


def edit_window():
    return timedelta(minutes=settings.DISCUSSION_EDIT_MINUTES)


def has_discussion(page):
    """Does `page` (any Page) have a discussion? Wiki pages, projects, neighbourhoods, communes, workshops."""
    content_type = page.cached_content_type
    return (content_type.app_label, content_type.model) in DISCUSSED_PAGE_TYPES


def can_read(user, page):
    """May `user` (None or anonymous: a visitor) read the discussion of `page`? Open and visible to them."""
    return is_open(page) and visibility.can_see(user, page)


def is_open(page):
    """Has `page` a discussion open to whoever may read the page (saved, live, of a discussed type)?

    A page previewed in the editor before its first save has no discussion yet (no id).
    """
    return page.pk is not None and page.live and has_discussion(page)


def why_cannot_comment(user, page):
    """Why `user` may not comment on `page`, in words (None when they may)."""
    if not access.is_signed_in(user):
        return _("Sign in to comment.")
    if not access.is_verified(user):
        return _("Confirm your email address before you comment.")
    if not access.is_contributor(user):  # blocked, muted, or a warning to acknowledge first
        return access.why_cannot_post(user)
    if not can_read(user, page):
        return _("This page has no discussion.")
    return None


def can_comment(user, page):
    return why_cannot_comment(user, page) is None


def can_post_as_moderator(user):
    return access.is_moderator(user)


def can_edit(user, comment, now=None):
    """May `user` change the text of `comment` now? Its author, within the edit window, while it is shown."""
    now = now or timezone.now()
    return (
        access.is_contributor(user)
        and comment.author_id == user.pk
        and not comment.is_deleted
        and comment.state == Comment.State.PUBLISHED
        and now <= comment.created_at + edit_window()
    )


def can_delete(user, comment):
    """May `user` delete `comment`? Its author, any time, while it is not deleted yet."""
    return access.is_signed_in(user) and comment.author_id == user.pk and not comment.is_deleted


def can_read_versions(user):
    """Moderators read earlier versions and the text of deleted comments."""
    return access.is_moderator(user)


def can_reply_to(comment):
    """Can anyone reply to `comment`? Shown, not deleted, and not at the deepest level."""
    return comment.state == Comment.State.PUBLISHED and not comment.is_deleted and comment.depth < MAX_DEPTH


def clean_body(body):
    """The text as it is stored (line endings normalised), or CommentRefused when it is empty or too long."""
    text = markup.normalise_source(body).strip()
    if "\x00" in text:  # PostgreSQL stores no NUL in a text
        raise CommentRefused(_("Null characters are not allowed."), code="null_characters")
    if not text:
        raise CommentRefused(_("Write something before you send your comment."), code="empty")
    limit = max_length()
    if len(text) > limit:
        raise CommentRefused(
            ngettext(
                "A comment has at most %(limit)d character (this one has %(count)d).",
                "A comment has at most %(limit)d characters (this one has %(count)d).",
                limit,
            )
            % {"limit": limit, "count": len(text)},
            code="too_long",
        )
    return text


def comments_per_hour(user, now):
    """How many comments `user` may post per hour (None: no limit). Moderators and staff have none."""
    if access.is_moderator(user):
        return None
    new_account_days = permissions.wiki_settings().new_account_days
    new = user.date_joined > now - timedelta(days=new_account_days)
    limit = settings.DISCUSSION_COMMENTS_PER_HOUR_NEW if new else settings.DISCUSSION_COMMENTS_PER_HOUR
    return (limit or None), new, new_account_days


def check_rate(user, now):
    """Raise CommentRateLimited when `user` posted their hourly allowance already. Call inside the transaction."""
    limits = comments_per_hour(user, now)
    if limits is None or limits[0] is None:
        return
    limit, new, days = limits
    # One member's posts queue here, so each one counts the others (as wiki.ratelimits does for saves).
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    recent = Comment.objects.filter(author=user, created_at__gt=now - timedelta(hours=1)).order_by("-created_at")
    nth = recent.values_list("created_at", flat=True)[limit - 1 : limit].first()
    if nth is None:
        return
    message = ngettext(
        "You reached the limit of %(count)d comment per hour.",
        "You reached the limit of %(count)d comments per hour.",
        limit,
    ) % {"count": limit}
    if new:
        message += " " + ngettext(
            "Accounts younger than %(days)d day have a lower limit.",
            "Accounts younger than %(days)d days have a lower limit.",
            days,
        ) % {"days": days}
    minutes = max(1, int((nth + timedelta(hours=1) - now).total_seconds() // 60) + 1)
    message += " " + ngettext(
        "You can comment again in %(minutes)d minute.", "You can comment again in %(minutes)d minutes.", minutes
    ) % {"minutes": minutes}
    raise CommentRateLimited(message, code="rate_limited")


# A link in a comment's source: a scheme, "www.", or a Markdown link or autolink to another site. Each
# alternative is a fixed prefix, so the search is linear in the text's length.
LINK = re.compile(r"(?i)(?:\b(?:https?|ftp)://|\bwww\.|\]\(\s*//|<\s*(?:https?|ftp|mailto):|\bmailto:)")


def has_link(text):
    return LINK.search(text) is not None


def why_held(user, text, now):
    """Why a new comment of `user` waits for a moderator (Settings > Moderation, "Against spam"), or None.

    Comments with a link from accounts younger than the wiki's new-account
    age, and a new member's first comments, are held; never a moderator's.
    """
    if access.is_moderator(user):
        return None
    rules = moderation_settings()
    if rules.hold_links_from_new_accounts and has_link(text):
        days = permissions.wiki_settings().new_account_days
        if user.date_joined > now - timedelta(days=days):
            return "link_from_new_account"
    earlier = rules.hold_first_comments and Comment.objects.filter(author=user)[: rules.hold_first_comments].count()
    if rules.hold_first_comments and earlier < rules.hold_first_comments:
        return "first_comments"
    return None


HOLD_REASONS = {
    "link_from_new_account": gettext_lazy("a comment with a link from an account younger than the new-account age"),
    "first_comments": gettext_lazy("one of a new member's first comments"),
}


def record_comment_line(comment, *, user=None, page=None, parent_author_id=None):
    """The comment's DISCUSSION line in the ledger, dated at the comment's time (delete_comment finds it by it).

    Written when the comment is posted, or, for a HELD comment, when a moderator
    publishes it (a held comment earns nothing before). `user`, `page` and
    `parent_author_id` spare queries when the caller has them.
    """
    user = user or comment.author
    page = page or comment.page
    if parent_author_id is None and comment.parent_id:
        parent_author_id = Comment.objects.filter(pk=comment.parent_id).values_list("author_id", flat=True).first()
    return activity.record(
        user.member,
        Activity.Kind.DISCUSSION,
        page=page,
        target=comment,
        chars_changed=len(comment.body),
        facts={"own_reply": parent_author_id == user.pk, "depth": comment.depth},
        at=comment.created_at,
    )


def _role(user, as_moderator):
    if not as_moderator or not can_post_as_moderator(user):
        return Comment.Role.NONE
    return Comment.Role.STAFF if access.is_staff_member(user) else Comment.Role.MODERATOR


# Verbs ---------------------------------------------------------------------------------------


def post_comment(user, page, body, *, parent=None, as_moderator=False, now=None):
    """`user` comments on `page`, or replies to `parent` (a comment of that page). Returns the comment.

    Writes a DISCUSSION line in the ledger (`facts.own_reply` when it answers
    the author's own comment: members.scoring gives it no points) in the same
    transaction. A comment that `why_held` holds is HELD: a HOLD line in the
    moderation log, and no ledger line until a moderator publishes it
    (`publish_comment` writes it then), so it earns nothing before.
    """
    now = now or timezone.now()
    reason = why_cannot_comment(user, page)
    if reason:
        raise CommentRefused(reason, code="not_allowed")
    text = clean_body(body)
    if parent is not None:
        if parent.page_id != page.pk:
            raise CommentRefused(_("This comment is not part of this discussion."), code="foreign")
        if parent.is_deleted or parent.state != Comment.State.PUBLISHED:
            raise CommentRefused(_("This comment was deleted or hidden: you cannot reply to it."), code="gone")
        if parent.depth >= MAX_DEPTH:
            raise CommentRefused(
                _("Replies go two levels deep at most: reply to the comment above this one."), code="too_deep"
            )
    with transaction.atomic():
        check_rate(user, now)
        if parent is not None:
            # Deleted meanwhile (another tab): refuse rather than attach to a deleted comment.
            parent = Comment.objects.select_for_update().get(pk=parent.pk)
            if parent.is_deleted or parent.state != Comment.State.PUBLISHED:
                raise CommentRefused(_("This comment was deleted or hidden: you cannot reply to it."), code="gone")
        held = why_held(user, text, now)
        comment = Comment.objects.create(
            page_id=page.pk,
            author=user,
            parent=parent,
            thread_id=parent.thread_id_or_own if parent else None,
            depth=parent.depth + 1 if parent else 0,
            body=text,
            role=_role(user, as_moderator),
            state=Comment.State.HELD if held else Comment.State.PUBLISHED,
            created_at=now,
        )
        if held:
            from discussion import moderation  # it builds on this module: imported when needed

            rule = ModerationDecision.Rule.SPAM if held == "link_from_new_account" else ""
            moderation.log_hold(comment, str(HOLD_REASONS[held]), rule=rule, now=now)
        else:
            record_comment_line(comment, user=user, page=page, parent_author_id=parent.author_id if parent else None)
        follows.follow_discussion(user, page)
    return comment


def edit_comment(user, comment, body, *, now=None):
    """The author changes the text of `comment` within the edit window; the earlier text is kept."""
    now = now or timezone.now()
    if not can_edit(user, comment, now):
        raise CommentRefused(_("This comment can no longer be edited."), code="not_allowed")
    text = clean_body(body)
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if not can_edit(user, current, now):
            raise CommentRefused(_("This comment can no longer be edited."), code="not_allowed")
        if text == current.body:
            return current
        CommentVersion.objects.create(
            comment=current, body=current.body, written_at=current.edited_at or current.created_at, replaced_at=now
        )
        current.body = text
        current.edited_at = now
        current.save(update_fields=["body", "edited_at"])
    return current


def delete_comment(user, comment, *, now=None):
    """The author deletes `comment`: it shows as deleted, its replies stay, it loses its points.

    The ledger line of the comment gets a HIDDEN line concerning it (the ledger is append-only).
    """
    now = now or timezone.now()
    if not can_delete(user, comment):
        raise CommentRefused(_("You cannot delete this comment."), code="not_allowed")
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.is_deleted:
            raise CommentRefused(_("This comment is already deleted."), code="gone")
        current.deleted_at = now
        current.save(update_fields=["deleted_at"])
        line = discussion_line(current)
        if line is not None:
            activity.record(
                line.member,
                Activity.Kind.HIDDEN,
                page=line.page,
                target=current,
                concerns=line,
                facts={"reason": "deleted_by_author"},
                at=now,
            )
    return current


def discussion_line(comment):
    """The DISCUSSION ledger line `comment` earned its points with (None for a comment without one)."""
    # The line was written with the comment, at its time: the (member, occurred_at) index finds it.
    return (
        Activity.objects.filter(
            member__user_id=comment.author_id,
            occurred_at=comment.created_at,
            kind=Activity.Kind.DISCUSSION,
            target=activity.describe(comment),
        )
        .select_related("member")
        .order_by("pk")
        .first()
    )


# Moderation of one comment (discussion.moderation decides when; these change the comment and the ledger).


def hide_comment(comment, *, now=None):
    """Hide a published or held comment (locked by the caller): it leaves the discussion and loses its points.

    A HIDDEN line (facts.reason "moderation") concerns its DISCUSSION line. Returns
    False when it was hidden already (nothing changes).
    """
    now = now or timezone.now()
    if comment.state == Comment.State.HIDDEN:
        return False
    comment.state = Comment.State.HIDDEN
    comment.save(update_fields=["state"])
    line = discussion_line(comment)
    if line is not None:
        activity.record(
            line.member,
            Activity.Kind.HIDDEN,
            page=line.page,
            target=comment,
            concerns=line,
            facts={"reason": "moderation"},
            at=now,
        )
    return True


def publish_comment(comment, *, now=None):
    """Show a hidden or held comment (locked by the caller) again; a hidden one gets its points back.

    The moderation's HIDDEN line gets a RESTORED line (members.scoring, rule 2);
    a comment held when posted has no ledger line yet: it gets its DISCUSSION line
    now (record_comment_line). A deletion by the author is not undone. Returns False when it was published already.
    """
    now = now or timezone.now()
    if comment.state == Comment.State.PUBLISHED:
        return False
    comment.state = Comment.State.PUBLISHED
    comment.save(update_fields=["state"])
    line = discussion_line(comment)
    if line is None:  # held when posted (why_held): it earns its points from its publication on
        record_comment_line(comment)
    else:
        hidden = (
            Activity.objects.filter(concerns=line, kind=Activity.Kind.HIDDEN, facts__reason="moderation")
            .exclude(decisions__kind=Activity.Kind.RESTORED)
            .order_by("-pk")
            .first()
        )
        if hidden is not None:
            activity.record(
                line.member, Activity.Kind.RESTORED, page=line.page, target=comment, concerns=hidden, at=now
            )
    return True
