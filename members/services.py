"""What happens to members: profiles and consents."""

from django.db import transaction
from django.utils import timezone

from members.models import Block, ConsentRecord, Member


def default_pseudonym(user):
    return f"membre-{user.pk}"


def ensure_member(user):
    """Every user has a Member; users made outside sign-up get a neutral pseudonym."""
    member, _created = Member.objects.get_or_create(user=user, defaults={"pseudonym": default_pseudonym(user)})
    return member


@transaction.atomic
def update_profile(member, *, pseudonym, commune, neighbourhood, show_on_leaderboard, accept_invitations):
    """Save a member's profile and log every consent that changed."""
    before = {consent: member.consent_value(consent) for consent in Member.Consent}
    member.pseudonym = pseudonym
    member.commune = commune
    member.neighbourhood = neighbourhood
    member.show_on_leaderboard = show_on_leaderboard
    member.accept_invitations = accept_invitations
    member.save()
    ConsentRecord.objects.bulk_create(
        ConsentRecord(member=member, consent=consent, given=member.consent_value(consent))
        for consent in Member.Consent
        if member.consent_value(consent) != before[consent]
    )
    return member


@transaction.atomic
def block_member(member, *, reason, by=None, starts_at=None, ends_at=None):
    """Block a member (ends_at None: until lifted); they leave the rankings at once."""
    from members.scoring import invalidate

    block = Block.objects.create(
        member=member, reason=reason, starts_at=starts_at or timezone.now(), ends_at=ends_at, created_by=by
    )
    invalidate()
    return block
