"""Reports and the moderators' decisions on them: comments, page versions, photos and members.

A signed-in member with a confirmed email reports an item once, with a reason
(a rule of members.models.ModerationDecision.Rule) and optional details. Each
report weighs what its reporter's trust weighs (`report_weight`, 0.5 to 2);
when the open reports' weights on a comment or a page version reach
Settings > Moderation's threshold, the item is hidden at once, pending a
moderator's review, and its author is told why. A report on a member never
hides anything: it waits for a moderator, who may warn, mute or block them.

A moderator then decides from the queue (discussion.admin_views): hide (or
confirm the hiding), restore, dismiss, or escalate to a senior moderator. Each
verb changes the item, closes the open reports (upheld or dismissed) and writes
its line in the moderation log (members.moderation.record_decision) in one
transaction; an upheld report earns its reporter a REPORT_UPHELD ledger line.

Refusals are `ReportRefused` / `DecisionRefused` (ValidationErrors with a
translated message): nothing is saved when either is raised.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page, Revision

from discussion import services
from discussion.models import Comment, Report
from gallery import services as gallery_services
from gallery.models import Photo
from members import access, activity, moderation, visibility
from members.models import Activity, Block, Member, ModerationDecision, Mute
from members.scoring import load_rules, scoring_lines
from wiki import moderation as wiki_moderation
from wiki.models import RevisionMeta

Action = ModerationDecision.Action
Rule = ModerationDecision.Rule

MIN_WEIGHT = Decimal("0.5")
MAX_WEIGHT = Decimal("2")
# A reporter's weight grows with their account's age up to this many days, with their contributions up to this
# many ledger lines that earn points; and moves with the share of their past reports that moderators upheld.
FULL_AGE_DAYS = 180
FULL_CONTRIBUTIONS = 20


class ReportRefused(ValidationError):
    """A report the rules refuse: nothing was saved."""


class DecisionRefused(ValidationError):
    """A moderator's decision that cannot apply (the item changed meanwhile): nothing was saved."""


# Items ---------------------------------------------------------------------------------------


@dataclass
class Item:
    """What can be reported: a comment, a page version, a photo or a member, with what the log keeps of it."""

    kind: str
    obj: object
    page: object = None
    author: Member | None = None

    @property
    def target(self):
        return activity.describe(self.obj)

    @property
    def is_removed(self):
        """Is the item already out of public sight (deleted, hidden, held; a departed member)?"""
        if self.kind == Report.Kind.COMMENT:
            return self.obj.is_deleted or self.obj.state != Comment.State.PUBLISHED
        if self.kind == Report.Kind.REVISION:
            return RevisionMeta.objects.filter(revision_id=self.obj.pk, hidden=True).exists()
        if self.kind == Report.Kind.PHOTO:
            return self.obj.hidden
        return not self.obj.user.is_active

    @property
    def is_hidden(self):
        """Is the item hidden by moderation now (a comment hidden or held, a version hidden)?"""
        if self.kind == Report.Kind.COMMENT:
            return self.obj.state != Comment.State.PUBLISHED
        if self.kind == Report.Kind.REVISION:
            return RevisionMeta.objects.filter(revision_id=self.obj.pk, hidden=True).exists()
        if self.kind == Report.Kind.PHOTO:
            return self.obj.hidden
        return False

    def label(self):
        """The item in words, as the log and the statement of reasons name it."""
        if self.kind == Report.Kind.COMMENT:
            return _("comment of %(date)s on “%(page)s”") % {
                "date": date_format(timezone.localtime(self.obj.created_at), "DATETIME_FORMAT"),
                "page": self.page.title,
            }
        if self.kind == Report.Kind.REVISION:
            return _("version #%(id)s of the page “%(page)s”") % {"id": self.obj.pk, "page": self.page.title}
        if self.kind == Report.Kind.PHOTO:
            return _("photo #%(id)s “%(alt)s”") % {"id": self.obj.pk, "alt": self.obj.alt_text}
        return _("member %(pseudonym)s") % {"pseudonym": self.obj.pseudonym}

    def url(self):
        """Where the item is shown (a link kept in the log)."""
        if self.kind == Report.Kind.COMMENT:
            return reverse("discussion:page", args=[self.page.pk]) + f"#comment-{self.obj.pk}"
        if self.kind == Report.Kind.REVISION:
            return f"{self.page.url or '/'}history/#v{self.obj.pk}"
        if self.kind == Report.Kind.PHOTO:
            return reverse("discussion:report-photo", args=[self.obj.pk])
        return reverse("members_member_detail", args=[self.obj.pk])


def comment_item(comment):
    return Item(Report.Kind.COMMENT, comment, comment.page, getattr(comment.author, "member", None))


def revision_item(revision, page):
    user = revision.user
    return Item(Report.Kind.REVISION, revision, page, getattr(user, "member", None) if user else None)


def member_item(member):
    return Item(Report.Kind.MEMBER, member, None, member)


def photo_item(photo):
    """A photo (its page: the one it was uploaded from, if any; its author: the uploader)."""
    user = photo.uploaded_by
    return Item(Report.Kind.PHOTO, photo, photo.page, getattr(user, "member", None) if user else None)


def item_of_report(report):
    """The item a report is about (its foreign keys, selected with it)."""
    if report.kind == Report.Kind.COMMENT:
        return Item(report.kind, report.comment, report.page, report.member)
    if report.kind == Report.Kind.REVISION:
        return Item(report.kind, report.revision, report.page, report.member)
    if report.kind == Report.Kind.PHOTO:
        return Item(report.kind, report.photo, report.page, report.member)
    return member_item(report.member)


def item_by_target(target):
    """The Item named "discussion.comment:12", "wagtailcore.revision:34", "gallery.photo:7" or "members.member:5"."""
    model, _sep, pk = target.partition(":")
    if not pk.isdigit():
        return None
    if model == "discussion.comment":
        comment = Comment.objects.select_related("page", "author__member").filter(pk=pk).first()
        return comment_item(comment) if comment else None
    if model == "wagtailcore.revision":
        revision = Revision.page_revisions.select_related("user__member").filter(pk=pk).first()
        page = Page.objects.filter(pk=revision.object_id).first() if revision else None
        return revision_item(revision, page) if page else None
    if model == "gallery.photo":
        photo = Photo.objects.select_related("page", "uploaded_by__member", "image").filter(pk=pk).first()
        return photo_item(photo) if photo else None
    if model == "members.member":
        member = Member.objects.select_related("user").filter(pk=pk).first()
        return member_item(member) if member else None
    return None


# Who reports, and how much their report weighs ------------------------------------------------


def why_cannot_report(user):
    """Why `user` may not report anything, in words (None when they may).

    A signed-in member with a confirmed email: the same bar as commenting, so a
    flood of throwaway accounts cannot hide anything. A blocked or muted member
    may still report (the Digital Services Act lets anyone notify illegal
    content), but their reports weigh nothing toward hiding (`report_weight`).
    """
    if not access.is_signed_in(user):
        return _("Sign in to report.")
    if not access.is_verified(user):
        return _("Confirm your email address before you report.")
    return None


def report_weight(user, now=None):
    """How much a report by `user` weighs toward hiding an item: 0.5 to 2 (0 while blocked or muted).

    0.5, plus up to 0.5 for the account's age (full at FULL_AGE_DAYS), up to 0.5
    for contributions that earn points (full at FULL_CONTRIBUTIONS), and from
    -0.5 to +0.5 for the share of their decided reports that moderators upheld
    rather than dismissed; bounded to MIN_WEIGHT..MAX_WEIGHT (Settings >
    Moderation's help text says so). Three queries.
    """
    now = now or timezone.now()
    member = getattr(user, "member", None)
    if member is None:
        return MIN_WEIGHT
    if (
        Block.objects.in_force(now).filter(member=member).exists()
        or Mute.objects.in_force(now).filter(member=member).exists()
    ):
        return Decimal(0)
    age_days = max(0, (now - user.date_joined).days)
    age = Decimal(min(age_days, FULL_AGE_DAYS)) / FULL_AGE_DAYS / 2
    lines = scoring_lines(load_rules(), member_ids=[member.pk]).order_by().values("pk")[:FULL_CONTRIBUTIONS]
    contributions = Decimal(lines.count()) / FULL_CONTRIBUTIONS / 2
    record = track_records([user.pk]).get(user.pk, {})
    upheld, dismissed = record.get("upheld", 0), record.get("dismissed", 0)
    accuracy = Decimal(upheld - dismissed) / (upheld + dismissed) / 2 if upheld + dismissed else Decimal(0)
    weight = MIN_WEIGHT + age + contributions + accuracy
    return min(MAX_WEIGHT, max(MIN_WEIGHT, weight)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def track_records(user_ids):
    """{user id: {"filed", "upheld", "dismissed"}}: the reports each user filed and how they ended (one query)."""
    rows = (
        Report.objects.filter(reporter_id__in=user_ids)
        .values("reporter_id")
        .annotate(
            filed=Count("pk"),
            upheld=Count("pk", filter=Q(state=Report.State.UPHELD)),
            dismissed=Count("pk", filter=Q(state=Report.State.DISMISSED)),
        )
        .order_by()
    )
    return {row.pop("reporter_id"): row for row in rows}


# Statements of reasons: written in the site's language, as the member reads them by email and on /me/.


def _in_site_language(function):
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


@_in_site_language
def auto_hide_statement(item, rule):
    return _(
        "Your %(item)s is hidden pending review: members reported it for the rule “%(rule)s”, and their "
        "reports reached the threshold that hides an item at once. A moderator will review it soon and "
        "either restore it or confirm the decision; you will be told. You may contest this decision once, "
        "from this message."
    ) % {"item": item.label(), "rule": Rule(rule).label}


@_in_site_language
def hide_statement(item, rule):
    return _(
        "Your %(item)s was hidden by a moderator: it breaks the rule “%(rule)s”. It stays stored but the "
        "public no longer sees it, and it earns no points. You may contest this decision once, from this "
        "message: another moderator will review it."
    ) % {"item": item.label(), "rule": Rule(rule).label}


@_in_site_language
def restore_statement(item):
    return _(
        "Your %(item)s is shown again: a moderator reviewed it and found that it breaks no rule. Its "
        "points are back. Nothing else is needed from you."
    ) % {"item": item.label()}


@_in_site_language
def publish_statement(item):
    return _("Your %(item)s waited for a moderator and is now published. Nothing else is needed from you.") % {
        "item": item.label()
    }


@_in_site_language
def _log_label(item):
    return item.label()


# Filing a report ------------------------------------------------------------------------------


def _lock(item):
    """Lock the item's row for the length of the transaction (reports on it queue one after the other)."""
    if item.kind == Report.Kind.COMMENT:
        item.obj = (
            Comment.objects.select_for_update(of=("self",)).select_related("page", "author__member").get(pk=item.obj.pk)
        )
    elif item.kind == Report.Kind.REVISION:
        list(RevisionMeta.objects.select_for_update().filter(revision_id=item.obj.pk).values_list("pk", flat=True))
    elif item.kind == Report.Kind.PHOTO:
        list(Photo.objects.select_for_update().filter(pk=item.obj.pk).values_list("pk", flat=True))
        item.obj.refresh_from_db(fields=["hidden"])
    else:
        list(Member.objects.select_for_update().filter(pk=item.obj.pk).values_list("pk", flat=True))


def clean_details(details):
    text = (details or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ReportRefused(_("Null characters are not allowed."), code="null_characters")
    if len(text) > Report.DETAILS_MAX_LENGTH:
        raise ReportRefused(
            _("The details have at most %(limit)d characters (these have %(count)d).")
            % {"limit": Report.DETAILS_MAX_LENGTH, "count": len(text)},
            code="too_long",
        )
    return text


def why_cannot_report_item(user, item):
    """Why `user` may not report `item`, in words (None when they may)."""
    reason = why_cannot_report(user)
    if reason:
        return reason
    if item.is_removed:
        return _("This item was already removed: there is nothing left to report.")
    if (item.author is not None and item.author.user_id == user.pk) or (
        item.kind == Report.Kind.MEMBER and item.obj.user_id == user.pk
    ):
        return _("You cannot report your own contribution or yourself.")
    if Report.objects.filter(reporter=user, target=item.target).exists():
        return _("You already reported this. Moderators will look at it.")
    return None


def file_report(user, item, reason, details="", *, now=None):
    """`user` reports `item` for `reason` (a Rule) with optional `details`; returns the Report.

    Writes a REPORT line in the moderation log, and hides a comment or a page
    version at once (AUTO_HIDE, with a statement of reasons to its author) when
    the open reports' weights reach the threshold, all in one transaction.
    """
    now = now or timezone.now()
    if reason not in Rule.values:
        raise ReportRefused(_("Choose the reason of your report."), code="reason")
    text = clean_details(details)
    refusal = why_cannot_report_item(user, item)
    if refusal:
        raise ReportRefused(refusal, code="not_allowed")
    weight = report_weight(user, now)
    try:
        with transaction.atomic():
            _lock(item)
            refusal = why_cannot_report_item(user, item)  # hidden or reported from another tab meanwhile
            if refusal:
                raise ReportRefused(refusal, code="not_allowed")
            report = Report.objects.create(
                reporter=user,
                kind=item.kind,
                target=item.target,
                comment=item.obj if item.kind == Report.Kind.COMMENT else None,
                revision=item.obj if item.kind == Report.Kind.REVISION else None,
                photo=item.obj if item.kind == Report.Kind.PHOTO else None,
                page=item.page,
                member=item.author,
                reason=reason,
                details=text,
                weight=weight,
                created_at=now,
            )
            moderation.record_decision(
                Action.REPORT,
                actor=user,
                member=item.author,
                target=item.target,
                target_label=_log_label(item),
                target_url=item.url(),
                rule=reason,
                details=text,
                at=now,
            )
            if item.kind != Report.Kind.MEMBER:
                _hide_when_threshold_reached(item, now)
    except IntegrityError:  # the same report, sent twice at once
        raise ReportRefused(_("You already reported this. Moderators will look at it."), code="twice") from None
    return report


def open_weight(target):
    return Report.objects.open().filter(target=target).aggregate(total=Sum("weight"))["total"] or Decimal(0)


def main_reason(target):
    """The reason the open reports on `target` give most often (the rule a decision starts from)."""
    row = (
        Report.objects.open()
        .filter(target=target)
        .values("reason")
        .annotate(n=Count("pk"), weight=Sum("weight"))
        .order_by("-n", "-weight", "reason")
        .first()
    )
    return row["reason"] if row else Rule.OTHER


def _hide_when_threshold_reached(item, now):
    threshold = moderation.moderation_settings().report_threshold
    if threshold <= 0 or open_weight(item.target) < threshold or item.is_hidden:
        return None
    rule = main_reason(item.target)
    if item.kind == Report.Kind.COMMENT:
        services.hide_comment(item.obj, now=now)
    else:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Hidden pending review: reports for “%(rule)s”.") % {"rule": Rule(rule).label}
        if item.kind == Report.Kind.PHOTO:
            item.obj = gallery_services.hide_photo(None, item.obj, reason)
        elif wiki_moderation.hide_reported_revision(item.obj, reason, at=now) is None:
            return None  # the current version of its page: a moderator reverts it first (the queue says so)
    return moderation.record_decision(
        Action.AUTO_HIDE,
        member=item.author,
        target=item.target,
        target_label=_log_label(item),
        target_url=item.url(),
        rule=rule,
        statement=auto_hide_statement(item, rule) if item.author else "",
        at=now,
    )


# Moderators' decisions -----------------------------------------------------------------------


def can_moderate(user):
    """May `user` open the moderation queue and decide on reports and held comments? Moderators and staff."""
    return access.is_moderator(user)


def _check(moderator):
    if not can_moderate(moderator):
        raise PermissionDenied(_("Only moderators can decide on reports."))


def is_escalated(item):
    return Report.objects.open().filter(target=item.target, escalated_at__isnull=False).exists()


def can_decide_escalated(user):
    """May `user` decide on an item a moderator escalated? The senior tier: senior moderators and staff."""
    return access.is_senior_moderator(user)


ESCALATED_READ_ONLY = gettext_lazy("This item was escalated: only a senior moderator or staff decides on it now.")


def _check_escalated(moderator, item):
    if not can_decide_escalated(moderator) and is_escalated(item):
        raise DecisionRefused(str(ESCALATED_READ_ONLY), code="escalated")


def _close_reports(item, state, moderator, now):
    """Close the open reports on `item` (upheld or dismissed); an upheld one earns its reporter a ledger line."""
    reports = list(Report.objects.open().filter(target=item.target).select_related("reporter__member"))
    Report.objects.filter(pk__in=[report.pk for report in reports]).update(
        state=state, decided_at=now, decided_by=moderator
    )
    if state == Report.State.UPHELD:
        for report in reports:
            member = getattr(report.reporter, "member", None)
            if member is not None:
                activity.record(
                    member,
                    Activity.Kind.REPORT_UPHELD,
                    page=item.page,
                    target=report,
                    facts={"item": item.target, "reason": report.reason},
                    at=now,
                )
    return len(reports)


def _log(action, moderator, item, now, *, rule="", statement="", note=""):
    return moderation.record_decision(
        action,
        actor=moderator,
        member=item.author,
        target=item.target,
        target_label=_log_label(item),
        target_url=item.url(),
        rule=rule,
        statement=statement,
        note=note,
        at=now,
    )


def _clean_statement(statement):
    text = (statement or "").strip()
    if not text:
        raise DecisionRefused(_("Write the statement of reasons the member is told."), code="statement")
    return text


@transaction.atomic
def hide_item(moderator, item, rule, statement, *, note="", now=None):
    """Hide a reported comment or page version (or confirm its hiding); its open reports are upheld.

    The author is told `statement` (which item, which rule, what happens next).
    """
    _check(moderator)
    _check_escalated(moderator, item)
    now = now or timezone.now()
    if rule not in Rule.values:
        raise DecisionRefused(_("Choose the rule this item breaks."), code="rule")
    statement = _clean_statement(statement)
    if item.kind == Report.Kind.MEMBER:
        raise DecisionRefused(_("A member is not hidden: warn, mute or block them."), code="member")
    _lock(item)
    if item.kind == Report.Kind.COMMENT:
        services.hide_comment(item.obj, now=now)
    elif item.kind == Report.Kind.PHOTO:
        item.obj = gallery_services.hide_photo(moderator, item.obj, statement)
    elif wiki_moderation.hide_reported_revision(item.obj, statement, by=moderator, at=now) is None:
        raise DecisionRefused(
            _(
                "This is the current version of its page: it cannot be hidden. Revert it first from the "
                "page's history, then hide it."
            ),
            code="current",
        )
    _close_reports(item, Report.State.UPHELD, moderator, now)
    return _log(Action.HIDE, moderator, item, now, rule=rule, statement=statement, note=note)


def restore(item, *, actor=None, at=None):
    """Show a hidden (or held) comment or page version again, its points back (the one undoing function).

    Used by a moderator's RESTORE from the queue and by an appeal granted
    (registered with members.moderation.register_reversal). Call inside a
    transaction. Returns whether anything changed.
    """
    at = at or timezone.now()
    if item.kind == Report.Kind.COMMENT:
        _lock(item)
        return services.publish_comment(item.obj, now=at)
    if item.kind == Report.Kind.REVISION:
        return wiki_moderation.restore_revision(item.obj, by=actor, at=at) is not None
    if item.kind == Report.Kind.PHOTO:
        was_hidden = Photo.objects.filter(pk=item.obj.pk, hidden=True).exists()
        item.obj = gallery_services.show_photo(actor, item.obj)
        return was_hidden
    return False


@transaction.atomic
def restore_item(moderator, item, statement, *, note="", now=None):
    """Show a hidden or held item again; its open reports are dismissed and its author told `statement`."""
    _check(moderator)
    _check_escalated(moderator, item)
    now = now or timezone.now()
    statement = _clean_statement(statement)
    if not item.is_hidden:
        raise DecisionRefused(_("This item is not hidden: dismiss the reports instead."), code="shown")
    rule = main_reason(item.target) if Report.objects.open().filter(target=item.target).exists() else ""
    restore(item, actor=moderator, at=now)
    _close_reports(item, Report.State.DISMISSED, moderator, now)
    return _log(Action.RESTORE, moderator, item, now, rule=rule, statement=statement, note=note)


@transaction.atomic
def dismiss_reports(moderator, item, *, note="", now=None):
    """The reports on a shown item break no rule: they are closed, dismissed (nothing told, nothing earned)."""
    _check(moderator)
    _check_escalated(moderator, item)
    now = now or timezone.now()
    if item.is_hidden:
        raise DecisionRefused(_("This item is hidden: restore it or confirm the hiding."), code="hidden")
    rule = main_reason(item.target)  # the rule the reporters named, found not broken
    if not _close_reports(item, Report.State.DISMISSED, moderator, now):
        raise DecisionRefused(_("No report waits on this item any more."), code="none")
    return _log(Action.DISMISS, moderator, item, now, rule=rule, note=note)


def uphold_member_reports(member, *, by=None, at=None):
    """A member was warned, muted or blocked: the open reports about them are upheld (their reporters earn points).

    Registered with members.moderation.register_after_sanction (members does not import discussion);
    runs inside the sanction's transaction. Reports on the member's items stay open: they are decided there.
    """
    return _close_reports(member_item(member), Report.State.UPHELD, by, at or timezone.now())


@transaction.atomic
def escalate(moderator, item, note, *, now=None):
    """Hand the item to a senior moderator with `note`; its reports stay open (the "Escalated" filter)."""
    _check(moderator)
    _check_escalated(moderator, item)
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise DecisionRefused(_("Write a note for the senior moderator."), code="note")
    if not Report.objects.open().filter(target=item.target).update(escalated_at=now):
        raise DecisionRefused(_("No report waits on this item any more."), code="none")
    return _log(Action.ESCALATE, moderator, item, now, rule=main_reason(item.target), note=note)


@transaction.atomic
def log_hold(comment, details, *, rule="", now=None):
    """Log that `comment` waits for a moderator (discussion.services.why_held said why, in `details`)."""
    item = comment_item(comment)
    return _log(Action.HOLD, None, item, now or timezone.now(), rule=rule, note=details)


def publish_held(moderator, comment, *, note="", now=None):
    """Publish a comment that waited for a moderator; its author is told."""
    _check(moderator)
    now = now or timezone.now()
    item = comment_item(comment)
    _lock(item)
    if item.obj.state != Comment.State.HELD:
        raise DecisionRefused(_("This comment no longer waits for a moderator."), code="not_held")
    services.publish_comment(item.obj, now=now)
    return _log(Action.RESTORE, moderator, item, now, statement=publish_statement(item), note=note)


# The queue ------------------------------------------------------------------------------------

ORDERS = {
    "newest": ("-last", "-target"),
    "most": ("-weight", "-count", "-last", "-target"),
}


def queue(*, order="newest", escalated=False):
    """One row per item with open reports: {target, count, weight, last, escalated}, as a queryset of dicts."""
    rows = (
        Report.objects.open()
        .values("target")
        .annotate(count=Count("pk"), weight=Sum("weight"), last=Max("created_at"), escalated=Max("escalated_at"))
        .order_by(*ORDERS.get(order, ORDERS["newest"]))
    )
    if escalated:
        rows = rows.filter(escalated__isnull=False)
    return rows


@dataclass
class QueueEntry:
    target: str
    count: int
    weight: Decimal
    last: object
    escalated: object
    item: Item
    reports: list
    hidden: bool = False
    current_version: bool = False
    decision_id: int | None = None


def latest_decisions(targets):
    """{target: id of its latest log line about a member} (a report, a hiding…), in one query.

    The queue's "Warn, mute or block" link passes it as `?decision=` so the sanction form names the item.
    """
    rows = (
        ModerationDecision.objects.filter(target__in=targets, member__isnull=False)
        .values("target")
        .annotate(last=Max("pk"))
        .order_by()
    )
    return {row["target"]: row["last"] for row in rows}


def queue_entries(rows):
    """QueueEntries for a page of `queue()` rows: the items, their open reports and reporters (three queries)."""
    targets = [row["target"] for row in rows]
    reports = list(
        Report.objects.open()
        .filter(target__in=targets)
        .select_related(
            "reporter__member",
            "comment__page",
            "comment__author__member",
            "page",
            "member__user",
            "revision",
            "photo__image",
        )
        .defer("revision__content")
        .order_by("-created_at", "-pk")
    )
    by_target = {}
    for report in reports:
        by_target.setdefault(report.target, []).append(report)
    records = track_records({report.reporter_id for report in reports})
    for report in reports:
        report.track_record = records.get(report.reporter_id, {})
    revision_ids = [r.revision_id for r in reports if r.revision_id]
    metas = {
        meta.revision_id: meta
        for meta in RevisionMeta.objects.filter(revision_id__in=revision_ids).only("revision_id", "hidden")
    }
    decisions = latest_decisions(targets)
    latest = set(Page.objects.filter(latest_revision_id__in=revision_ids).values_list("latest_revision_id", flat=True))
    entries = []
    for row in rows:
        found = by_target.get(row["target"])
        if not found:
            continue  # decided meanwhile
        item = item_of_report(found[0])
        if item.kind == Report.Kind.COMMENT:
            hidden = item.obj.state != Comment.State.PUBLISHED
        elif item.kind == Report.Kind.REVISION:
            meta = metas.get(item.obj.pk)
            hidden = bool(meta and meta.hidden)
        elif item.kind == Report.Kind.PHOTO:
            hidden = item.obj.hidden
        else:
            hidden = False
        entries.append(
            QueueEntry(
                row["target"],
                row["count"],
                row["weight"],
                row["last"],
                row["escalated"],
                item,
                found,
                hidden,
                item.kind == Report.Kind.REVISION and item.obj.pk in latest,
                decisions.get(row["target"]),
            )
        )
    return entries


def held_comments(limit=50):
    """Comments waiting for a moderator, oldest first, with their page and author (one query)."""
    return list(
        Comment.objects.filter(state=Comment.State.HELD)
        .select_related("page", "author__member")
        .order_by("created_at", "pk")[:limit]
    )


def held_count():
    return Comment.objects.filter(state=Comment.State.HELD).count()


# Reversal of a decision (an appeal granted, members.moderation.reversal_for) --------------------


def reverse_hiding(decision, *, actor=None, at=None):
    """Undo a HIDE or AUTO_HIDE on a comment, a page version or a photo: registered with members.moderation."""
    item = item_by_target(decision.target)
    if item is None:
        return False
    return restore(item, actor=actor, at=at)


def readable_revision(user, revision_id):
    """(revision, page) of a page version `user` may see, or (None, None)."""
    revision = Revision.page_revisions.select_related("user__member").defer("content").filter(pk=revision_id).first()
    if revision is None:
        return None, None
    page = Page.objects.filter(pk=revision.object_id).select_related("content_type").first()
    if page is None or not page.live or not visibility.can_see(user, page):
        return None, None
    if not RevisionMeta.objects.filter(revision_id=revision.pk).exists():
        return None, None  # not a version of a wiki page
    return revision, page
