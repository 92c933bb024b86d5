"""The moderation log's one writer: every app's moderation records its reports, decisions and appeals here.

Call `record_decision` inside the transaction of the change it logs (a comment
hidden, a member muted), so the log and the change land together or not at
all. The log is append-only: a reversal is a new line that `concerns` the
earlier one.
"""

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
    (empty: nothing told).
    """
    if target is not None and not isinstance(target, str):
        target = describe(target)
    return ModerationDecision.objects.create(
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
