"""Moderators' decisions about revisions: patrol new members' edits, hide a revision's content.

Patrol (rule 5 of members.scoring): a revision saved by a member whose account
is younger than the patrol window waits for a moderator (`needs_patrol`). The
moderator marks it patrolled, which records a PATROLLED ledger line concerning
the revision's contribution line (so its points count at once), or reverts it.

Hiding keeps a revision stored but shows its content and summary to moderators
only, everywhere on the public site (history, diffs, feeds, recent changes);
a HIDDEN ledger line concerning its contribution line takes its points away.
The current version of a page is never hidden: revert it first.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from civic.params import parse_id, parse_ids
from members.activity import Kind, record
from members.models import Activity
from members.scoring import in_patrol_window
from members.services import ensure_member
from wiki import permissions, services, territory
from wiki.models import RevisionMeta

# The ledger line a revision earns its points with.
CONTRIBUTION_KINDS = (Kind.EDIT, Kind.PAGE_CREATED, Kind.PROJECT_CREATED)
REASON_MAX_LENGTH = 255


def needs_patrol(user, at=None):
    """Does a revision saved by `user` at `at` (default: now) wait for a moderator's patrol?

    Yes for a member who is not a moderator nor staff and whose account is
    younger than the patrol window (members.scoring.in_patrol_window).
    """
    if user is None or not user.is_authenticated or permissions.is_moderator(user):
        return False
    member = getattr(user, "member", None)
    return member is not None and in_patrol_window(member, at)


def contribution_lines(revision_ids):
    """{revision id: its EDIT / PAGE_CREATED / PROJECT_CREATED ledger line} (one query)."""
    lines = Activity.objects.filter(revision_id__in=revision_ids, kind__in=CONTRIBUTION_KINDS).order_by("-pk")
    return {line.revision_id: line for line in lines}


def _revision_ids(values):
    """The revision ids among `values`; what no id can be is left out (civic.params)."""
    return parse_ids(values or ())


def _patrol(moderator, metas):
    """Mark `metas` (locked, waiting for patrol) patrolled, one PATROLLED line each."""
    if not metas:
        return []
    now = timezone.now()
    ids = [meta.revision_id for meta in metas]
    RevisionMeta.objects.filter(revision_id__in=ids).update(
        needs_patrol=False, patrolled_at=now, patrolled_by=moderator
    )
    lines = contribution_lines(ids)
    member = ensure_member(moderator)
    for meta in metas:
        record(
            member,
            Kind.PATROLLED,
            page=meta.page,
            revision=meta.revision,
            concerns=lines.get(meta.revision_id),
            facts={"patrolled_revision": meta.revision_id},
            at=now,
        )
    return ids


def _locked_metas(**filters):
    return list(
        RevisionMeta.objects.select_for_update(of=("self",))
        .filter(**filters)
        .select_related("page", "revision")
        .defer("revision__content")
        .order_by("revision_id")
    )


@transaction.atomic
def mark_patrolled(moderator, revision_ids):
    """Mark the revisions `revision_ids` patrolled; returns the ids of those newly patrolled.

    Revisions that are unknown, already patrolled or not waiting for a patrol
    are left alone: clicking twice never records a second PATROLLED line.
    """
    if not permissions.can_patrol(moderator):
        raise PermissionDenied(_("Only moderators can patrol edits."))
    ids = _revision_ids(revision_ids)
    if not ids:
        return []
    return _patrol(moderator, _locked_metas(revision_id__in=ids, needs_patrol=True))


@transaction.atomic
def revert_and_patrol(moderator, page, revision_id, *, summary=""):
    """Undo the revision `revision_id` of `page` (later edits kept) and mark it patrolled.

    Raises what wiki.services.undo raises (InvalidRevision, EditConflict,
    ValidationError for a page's creation, PermissionDenied): nothing is then saved.
    """
    if not permissions.can_patrol(moderator):
        raise PermissionDenied(_("Only moderators can patrol edits."))
    outcome = services.undo(moderator, page, revision_id, summary=summary)
    _patrol(moderator, _locked_metas(revision_id=parse_id(revision_id, default=0), needs_patrol=True))
    return outcome


@transaction.atomic
def hide_revision(moderator, page, revision_id, reason):
    """Hide the content and summary of an old revision of `page` from the public.

    The revision's author loses the points of that contribution (a HIDDEN
    ledger line concerns it). Raises PermissionDenied, InvalidRevision
    (unknown revision or one of another page) or ValidationError (no reason;
    the current version, which must be reverted first). Hiding a hidden
    revision again changes nothing.
    """
    if not permissions.can_hide(moderator):
        raise PermissionDenied(_("Only moderators can hide a version of a page."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason for hiding this version: other moderators will read it.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("The reason has at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}})
    revision = services.get_revision(page, revision_id)
    # Lock the page like an edit does: its current version cannot change under us.
    latest_id = Page.objects.select_for_update().filter(pk=page.pk).values_list("latest_revision_id", flat=True).first()
    if revision.pk == latest_id:
        raise ValidationError(
            _(
                "Version #%(id)s is the current version of the page: it cannot be hidden. "
                "Revert it first (undo it or restore an earlier version), then hide it."
            )
            % {"id": revision.pk}
        )
    metas = _locked_metas(revision_id=revision.pk)
    if not metas:
        raise services.InvalidRevision()
    meta = metas[0]
    if meta.hidden:
        return meta
    _hide(meta, revision, by=moderator, reason=reason, member=ensure_member(moderator), at=timezone.now())
    # A moderator looked at it: it leaves the patrol queue.
    if meta.needs_patrol:
        _patrol(moderator, [meta])
    return meta


def _hide(meta, revision, *, by, reason, member, at):
    """Hide the locked `meta`'s content; a HIDDEN ledger line (by `member`) concerns its contribution line."""
    meta.hidden, meta.hidden_at, meta.hidden_by, meta.hidden_reason = True, at, by, reason[:REASON_MAX_LENGTH]
    meta.save(update_fields=["hidden", "hidden_at", "hidden_by", "hidden_reason"])
    record(
        member,
        Kind.HIDDEN,
        page=meta.page,
        revision=revision,
        concerns=contribution_lines([revision.pk]).get(revision.pk),
        facts={"hidden_revision": revision.pk, "reason": reason[:REASON_MAX_LENGTH]},
        at=at,
    )


@transaction.atomic
def hide_reported_revision(revision, reason, *, by=None, at=None):
    """Hide a reported revision of a page: the discussion's moderation (a threshold of reports, or a moderator).

    No permission check here: the caller checks who acts (`by`, None when a
    threshold of reports hides it). Returns the revision's RevisionMeta, hidden,
    or None when it cannot be hidden: the current version of its page (a
    moderator reverts it first) or a revision the wiki does not know.
    """
    at = at or timezone.now()
    latest_id = (
        Page.objects.select_for_update().filter(pk=revision.object_id).values_list("latest_revision_id", flat=True)
    ).first()
    metas = _locked_metas(revision_id=revision.pk)
    if not metas or revision.pk == latest_id:
        return None
    meta = metas[0]
    if not meta.hidden:
        line = contribution_lines([revision.pk]).get(revision.pk)
        member = ensure_member(by) if by is not None else (line.member if line else None)
        _hide(meta, revision, by=by, reason=reason, member=member, at=at)
    return meta


@transaction.atomic
def restore_revision(revision, *, by=None, at=None):
    """Show a hidden revision to the public again; its author gets its points back.

    A RESTORED ledger line concerns the HIDDEN line of the hiding (members.scoring,
    rule 2). Returns the RevisionMeta, or None when the revision was not hidden.
    """
    at = at or timezone.now()
    metas = _locked_metas(revision_id=revision.pk, hidden=True)
    if not metas:
        return None
    meta = metas[0]
    meta.hidden, meta.hidden_at, meta.hidden_by, meta.hidden_reason = False, None, None, ""
    meta.save(update_fields=["hidden", "hidden_at", "hidden_by", "hidden_reason"])
    contribution = contribution_lines([revision.pk]).get(revision.pk)
    hidden_line = (
        Activity.objects.filter(kind=Kind.HIDDEN, revision_id=revision.pk, concerns=contribution)
        .exclude(decisions__kind=Kind.RESTORED)
        .order_by("-pk")
        .first()
        if contribution is not None
        else None
    )
    if hidden_line is not None:
        member = ensure_member(by) if by is not None else hidden_line.member
        record(member, Kind.RESTORED, page=meta.page, revision=revision, concerns=hidden_line, at=at)
    return meta


# Reading -------------------------------------------------------------------------------


def is_hidden(page, revision_id):
    """Is the revision `revision_id` of `page` hidden from the public?"""
    return RevisionMeta.objects.filter(page_id=page.pk, revision_id=revision_id, hidden=True).exists()


def undo_reveals_hidden(page, revision_id):
    """Would undoing `revision_id` bring back the text of a hidden revision (the one just before it)?"""
    previous = services.page_revisions(page).filter(pk__lt=revision_id).order_by("-pk").values_list("pk", flat=True)[:1]
    return RevisionMeta.objects.filter(revision_id__in=Subquery(previous), hidden=True).exists()


def patrol_queue(*, commune=None, newest_first=False):
    """The revisions of live pages waiting for a patrol, with their page, author and commune title (one query)."""
    queue = (
        RevisionMeta.objects.filter(needs_patrol=True, page__live=True)
        .select_related("revision__user__member", "page")
        .defer("revision__content")
        .annotate(commune_title=Subquery(territory.commune_title("page__path")))
        .order_by("-revision_id" if newest_first else "revision_id")
    )
    if commune is not None:
        queue = queue.filter(territory.under(commune))
    return queue
