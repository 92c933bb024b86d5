"""The moderation log's one writer: every app's moderation records its reports, decisions and appeals here.

Call `record_decision` inside the transaction of the change it logs (a comment
hidden, a member muted), so the log and the change land together or not at
all. The log is append-only: a reversal is a new line that `concerns` the
earlier one.
"""

from django.utils import timezone

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
