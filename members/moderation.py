"""The moderation log's one writer: every app's moderation records its reports, decisions and appeals here.

Call `record_decision` inside the transaction of the change it logs (a comment
hidden, a member muted), so the log and the change land together or not at
all. The log is append-only: a reversal is a new line that `concerns` the
earlier one.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from members.activity import describe
from members.models import ModerationDecision


def record_decision(
    action,
    *,
    actor=None,
    member=None,
    target=None,
    target_label="",
    target_url="",
    rule="",
    statement="",
    details="",
    note="",
    ends_at=None,
    concerns=None,
    at=None,
):
    """Write one line of the moderation log and return it.

    `actor` is the user who acted (None: automatic), `member` the Member the
    decision concerns (the author of the item, or the member sanctioned),
    `target` a model instance or an "app_label.model:pk" string (the ledger's
    key, members.activity.describe), `statement` the reason told to `member`
    (empty: nothing told). A statement goes to the member by email once the
    transaction commits (members.tasks.send_statement) and shows on their /me/.
    """
    if target is not None and not isinstance(target, str):
        target = describe(target)
    decision = ModerationDecision.objects.create(
        action=action,
        actor=actor,
        member=member,
        target=target or "",
        target_label=str(target_label)[:255],
        target_url=str(target_url)[:500],
        rule=rule,
        statement=statement,
        details=details,
        note=note,
        ends_at=ends_at,
        concerns=concerns,
        created_at=at or timezone.now(),
    )
    if member is not None and statement:
        tell_member(decision)
    return decision


def tell_member(decision):
    """Email `decision`'s statement of reasons to its member once the transaction commits (a background task)."""
    from members import tasks

    pk = decision.pk
    transaction.on_commit(lambda: tasks.send_statement.enqueue(pk))


def moderation_settings():
    """Settings > Moderation of the default site (defaults when there is no site yet)."""
    from members.models import ModerationSettings

    site = Site.objects.filter(is_default_site=True).first()
    return ModerationSettings.for_site(site) if site else ModerationSettings()


# Reversals: how to undo a decision on an item of another app (an appeal granted, a restore). The app that
# owns the item registers a function here, as a higher app registers with this lower one (personal_data).
_reversals = {}


def register_reversal(target_model, reverse):
    """Register `reverse(decision, *, actor, at)` that undoes a HIDE on items of `target_model` ("app.model")."""
    _reversals[target_model] = reverse


def reversal_for(decision):
    """The function that undoes `decision`'s effect on its item, or None when no app registered one."""
    model = decision.target.partition(":")[0]
    return _reversals.get(model)


# After a sanction: apps above members react to a member being warned, muted or blocked (discussion closes
# the open reports about that member as upheld), without members importing them.
_after_sanction = []


def register_after_sanction(callback):
    """Register `callback(member, *, by, at)`, called in the transaction of every warning, mute and block."""
    if callback not in _after_sanction:
        _after_sanction.append(callback)


def after_sanction(member, *, by=None, at=None):
    """Run the registered callbacks for `member`, just sanctioned by `by` (inside the sanction's transaction)."""
    for callback in _after_sanction:
        callback(member, by=by, at=at)


def next_steps(decision):
    """What happens next after `decision`, in words for the member concerned (email and /me/)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    Action = ModerationDecision.Action  # noqa: N806 - the model's enumeration
    until = date_format(timezone.localtime(decision.ends_at), "DATETIME_FORMAT") if decision.ends_at else None
    if decision.action == Action.WARN:
        return gettext("Acknowledge this warning on your profile page: you can post again once you have.")
    if decision.action == Action.MUTE:
        return gettext("Until %(end)s you can read and edit your profile, but not comment, edit or create pages.") % {
            "end": until
        }
    if decision.action == Action.BLOCK:
        if until:
            return gettext("You cannot post until %(end)s.") % {"end": until}
        return gettext("You cannot post until a moderator lifts the block.")
    if decision.action in (Action.HIDE, Action.AUTO_HIDE):
        return gettext("The item stays hidden from the public; moderators still see it.")
    if decision.action == Action.HOLD:
        return gettext("A moderator reads it before it is published.")
    if decision.action == Action.APPEAL_GRANTED:
        return gettext("The decision you contested is reversed.")
    if decision.action == Action.APPEAL_REJECTED:
        return gettext("The decision you contested stands. This review is final on Quartiers.")
    return ""


# What a member reads about themselves on /me/ --------------------------------------------------

DECISIONS_SHOWN = 50


def decisions_told_to(member, limit=DECISIONS_SHOWN):
    """The decisions whose statement `member` was told, newest first, with their appeal and its outcome.

    One query whatever their number: the appeal's date and the outcome come as subqueries.
    """
    from django.db.models import OuterRef, Subquery

    Action = ModerationDecision.Action  # noqa: N806 - the model's enumeration
    appeals = ModerationDecision.objects.filter(action=Action.APPEAL, concerns=OuterRef("pk"))
    outcomes = ModerationDecision.objects.filter(
        action__in=[Action.APPEAL_GRANTED, Action.APPEAL_REJECTED], concerns__concerns=OuterRef("pk")
    ).order_by("pk")
    return list(
        ModerationDecision.objects.filter(member=member)
        .exclude(statement="")
        .annotate(
            appealed_at=Subquery(appeals.values("created_at")[:1]),
            appeal_outcome=Subquery(outcomes.values("action")[:1]),
        )
        .order_by("-created_at", "-pk")[:limit]
    )
