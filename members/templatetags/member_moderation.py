"""The moderation decisions a member reads about themselves (/me/ and the statement email)."""

from django import template

from members import moderation
from members.models import Member, Warning
from members.services import APPEALABLE

register = template.Library()


@register.filter
def next_steps(decision):
    """What happens next after a decision, in words for its member (members.moderation.next_steps)."""
    return moderation.next_steps(decision)


@register.simple_tag
def moderation_of(user):
    """{decisions, warnings, appealable} for `user`'s member: two queries (their member is already loaded)."""
    member = Member.objects.filter(user=user).first() if not hasattr(user, "member") else user.member
    if member is None:
        return {"decisions": [], "warnings": []}
    decisions = moderation.decisions_told_to(member)
    for decision in decisions:
        decision.may_appeal = decision.action in APPEALABLE and decision.appealed_at is None
    warnings = list(Warning.objects.filter(member=member, acknowledged_at__isnull=True).order_by("created_at", "pk"))
    return {"decisions": decisions, "warnings": warnings}
