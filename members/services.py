"""What happens to members: profiles, consents, blocks, export and deletion of their data."""

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from members.models import Block, ConsentRecord, Member

log = logging.getLogger(__name__)


def default_pseudonym(user):
    return f"membre-{user.pk}"


def ensure_member(user):
    """Every user has a Member; users made outside sign-up get a neutral pseudonym."""
    member, _created = Member.objects.get_or_create(user=user, defaults={"pseudonym": default_pseudonym(user)})
    return member


@transaction.atomic
def update_profile(member, *, pseudonym, commune, neighbourhood, show_on_leaderboard, accept_invitations):
    """Save a member's profile and log every consent that changed (set_consents)."""
    member.pseudonym = pseudonym
    member.commune = commune
    member.neighbourhood = neighbourhood
    member.save()
    consents = {Member.Consent.LEADERBOARD: show_on_leaderboard, Member.Consent.INVITATIONS: accept_invitations}
    set_consents(member, consents)
    return member


@transaction.atomic
def set_consents(member, consents):
    """Give or withdraw consents ({Member.Consent: bool}): the member and a ConsentRecord per change, together.

    The only writer of consents (GDPR: every change is recorded with its
    date). Returns the consents that changed.
    """
    changed = [consent for consent, given in consents.items() if member.consent_value(consent) != bool(given)]
    if not changed:
        return []
    for consent in changed:
        setattr(member, Member.CONSENT_FIELDS[consent], bool(consents[consent]))
    member.save(update_fields=[Member.CONSENT_FIELDS[consent] for consent in changed])
    ConsentRecord.objects.bulk_create(
        ConsentRecord(member=member, consent=consent, given=member.consent_value(consent)) for consent in changed
    )
    if Member.Consent.LEADERBOARD in changed:
        from members.scoring import invalidate

        invalidate()  # the public leaderboard lists whoever agrees at its next refresh
    return changed


@transaction.atomic
def block_member(member, *, reason, by=None, starts_at=None, ends_at=None):
    """Block a member (ends_at None: until lifted); they leave the rankings at once."""
    from members.scoring import invalidate

    block = Block.objects.create(
        member=member, reason=reason, starts_at=starts_at or timezone.now(), ends_at=ends_at, created_by=by
    )
    invalidate()
    return block


@transaction.atomic
def lift_block(block, *, by=None, at=None):
    """End a block now (if still in force); the member may contribute again at once.

    Lifting does not erase the block: the member still does not rank for
    Block.RECENT_BLOCK_DAYS after its end (members.scoring).
    """
    from members.scoring import invalidate

    at = at or timezone.now()
    block = Block.objects.select_for_update().get(pk=block.pk)
    if block.ends_at is not None and block.ends_at <= at:
        return block
    block.ends_at = max(at, block.starts_at)
    block.save(update_fields=["ends_at"])
    log.info("Block #%s of member #%s lifted by %s", block.pk, block.member_id, getattr(by, "pk", None))
    invalidate()
    return block


def former_member_label(member):
    """The neutral pseudonym of a departed member, in the site's language, unique."""
    with translation.override(settings.LANGUAGE_CODE):
        label = gettext("Former member %(number)s") % {"number": member.pk}
    if Member.objects.filter(pseudonym__iexact=label).exclude(pk=member.pk).exists():
        label = f"{label[:30]} {secrets.token_hex(4)}"
    return label


def export_member_data(member):
    """Everything Quartiers holds about a member, as JSON-ready data, from every app's registered kinds."""
    from members import personal_data

    return personal_data.export(member)


@transaction.atomic
def delete_account(user):
    """Erase a member's personal data through every app's registered kind; keep their contributions.

    Each app frees or deletes what it holds (members.personal_data): follows,
    workshop seats and feeds... Then the user is deactivated and anonymised
    (random username and email, unusable password, email addresses and social
    accounts deleted) and the member becomes a neutral "former member" with
    every consent off; ledger lines are detached (member emptied), never
    deleted; wiki revisions stay attributed to the anonymised user.
    """
    from members import personal_data
    from members.scoring import invalidate

    member = ensure_member(user)
    erased = personal_data.erase(member)
    counts = ", ".join(f"{name} {count}" for name, count in erased.items() if count)
    log.info("Account deleted: member #%s anonymised (%s)", member.pk, counts or "nothing else held")
    transaction.on_commit(invalidate)
    return member
