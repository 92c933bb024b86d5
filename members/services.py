"""What happens to members: profiles, consents, blocks, export and deletion of their data."""

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from members.models import Activity, Block, ConsentRecord, Member

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
    """Everything Quartiers holds about a member, as JSON-ready data (GDPR access and portability)."""
    from allauth.account.models import EmailAddress
    from wagtail.models import Revision

    from wiki.models import PageFollow

    user = member.user
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "pseudonym": member.pseudonym,
            "email": user.email,
            "joined": member.created_at.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "home_commune": member.commune.title if member.commune else None,
            "neighbourhood": member.neighbourhood.title if member.neighbourhood else None,
            "show_on_leaderboard": member.show_on_leaderboard,
            "accept_invitations": member.accept_invitations,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "consents": [
            {"consent": record.consent, "given": record.given, "recorded_at": record.recorded_at.isoformat()}
            for record in member.consent_records.all()
        ],
        "ledger": [
            {
                "id": line.pk,
                "kind": line.kind,
                "occurred_at": line.occurred_at.isoformat(),
                "page": line.page.title if line.page else None,
                "page_url": line.page.url_path if line.page else None,
                "revision": line.revision_id,
                "about": line.target,
                "concerns": line.concerns_id,
                "characters_changed": line.chars_changed,
                "facts": line.facts,
            }
            for line in member.activities.select_related("page").order_by("occurred_at", "pk")
        ],
        "revisions": [
            {
                "id": revision.pk,
                "created_at": revision.created_at.isoformat(),
                "title": revision.object_str,
                "object_type": f"{revision.content_type.app_label}.{revision.content_type.model}",
                "object_id": revision.object_id,
            }
            for revision in Revision.objects.filter(user=user).select_related("content_type").order_by("created_at")
        ],
        "blocks": [
            {
                "reason": block.reason,
                "starts_at": block.starts_at.isoformat(),
                "ends_at": block.ends_at.isoformat() if block.ends_at else None,
            }
            for block in member.blocks.all()
        ],
        "followed_pages": [
            {
                "page": follow.page.title,
                "page_url": follow.page.url_path,
                "followed_since": follow.created_at.isoformat(),
                "digest_sent_up_to": follow.notified_until.isoformat() if follow.notified_until else None,
            }
            for follow in PageFollow.objects.filter(user=user).select_related("page").order_by("created_at", "pk")
        ],
    }


@transaction.atomic
def delete_account(user):
    """Erase a member's personal data; keep their contributions, detached or anonymised.

    The user is deactivated and anonymised (random username and email, unusable
    password, email addresses and social accounts deleted); the member becomes
    a neutral "former member" with every consent off; ledger lines are detached
    (member emptied), never deleted; Wagtail revisions stay attributed to the
    anonymised user.
    """
    from allauth.account.models import EmailAddress
    from django.apps import apps

    from members.scoring import invalidate
    from wiki.models import PageFollow

    member = ensure_member(user)
    token = secrets.token_hex(16)
    user.username = f"deleted-{token}"
    user.email = f"{token}@deleted.invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    # The user row stays (anonymised), so CASCADE does not remove what they followed: do it here.
    PageFollow.objects.filter(user=user).delete()
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=user).delete()

    update_profile(
        member,
        pseudonym=former_member_label(member),
        commune=None,
        neighbourhood=None,
        show_on_leaderboard=False,
        accept_invitations=False,
    )
    detached = Activity.objects.filter(member=member).update(member=None)
    log.info("Account deleted: member #%s anonymised, %s ledger lines detached", member.pk, detached)
    transaction.on_commit(invalidate)
    return member
