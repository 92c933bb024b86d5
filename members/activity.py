"""Writing to the engagement ledger: `record(...)` is the only way in.

Services call it explicitly for everything that counts as engagement, so a
reader can follow the call; nothing else writes `Activity` lines.
"""

from django.utils import timezone

from members.models import Activity

Kind = Activity.Kind


def describe(obj):
    """The `target` string of an object: "app_label.model:pk"."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def record(member, kind, *, page=None, revision=None, target=None, concerns=None, chars_changed=0, facts=None, at=None):
    """Append one line to the ledger and return it.

    `member` may be None only for lines about a departed member. `target` is
    any model instance the line is about when it is not a page or revision
    (a workshop, a comment). `concerns` is the earlier line a decision
    (revert, patrol, hiding) is about.
    """
    return Activity.objects.create(
        member=member,
        kind=kind,
        occurred_at=at or timezone.now(),
        page=page,
        revision=revision,
        target=describe(target) if target is not None else "",
        concerns=concerns,
        chars_changed=max(0, int(chars_changed)),
        facts=facts or {},
    )
