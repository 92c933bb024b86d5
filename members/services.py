"""What happens to members: profiles, consents, blocks, mutes, warnings, appeals, export and deletion of their data."""

import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from members.models import Block, ConsentRecord, Member, ModerationDecision, Mute, Warning
from members.moderation import after_sanction, record_decision

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
def block_member(  # noqa: PLR0913 - the block, and the decision that the log keeps of it
    member, *, reason, by=None, starts_at=None, ends_at=None, rule="", statement="", note="", source=None
):
    """Block a member (ends_at None: until lifted); they leave the rankings at once.

    Logs a BLOCK decision whose statement of reasons (`statement`, else
    `reason`) the member is told by email and on /me/; `source` is the
    decision (a report) that led to it, if any.
    """
    from members.scoring import invalidate

    block = Block.objects.create(
        member=member, reason=reason, starts_at=starts_at or timezone.now(), ends_at=ends_at, created_by=by
    )
    record_decision(
        ModerationDecision.Action.BLOCK,
        actor=by,
        member=member,
        target=block,
        **_source_item(source, member),
        rule=rule,
        statement=statement or reason,
        note=note,
        ends_at=ends_at,
        concerns=source,
        at=block.starts_at,
    )
    after_sanction(member, by=by, at=block.starts_at)
    invalidate()
    return block


@transaction.atomic
def lift_block(block, *, by=None, at=None, statement=""):
    """End a block now (if still in force); the member may contribute again at once.

    Lifting does not erase the block: the member still does not rank for
    Block.RECENT_BLOCK_DAYS after its end (members.scoring). Logs an UNBLOCK
    decision concerning the BLOCK one.
    """
    from members.scoring import invalidate

    at = at or timezone.now()
    block = Block.objects.select_for_update().get(pk=block.pk)
    if block.ends_at is not None and block.ends_at <= at:
        return block
    block.ends_at = max(at, block.starts_at)
    block.save(update_fields=["ends_at"])
    log.info("Block #%s of member #%s lifted by %s", block.pk, block.member_id, getattr(by, "pk", None))
    record_decision(
        ModerationDecision.Action.UNBLOCK,
        actor=by,
        member=block.member,
        target=block,
        target_label=_sanction_label(block.member),
        statement=statement or gettext("Your block is lifted: you can post again."),
        concerns=_decision_about(block, ModerationDecision.Action.BLOCK),
        at=at,
    )
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


# Sanctions: warnings and mutes (blocks above) ----------------------------------------------
# Who may sanction whom is members.access.why_cannot_sanction (the admin view asks it); these verbs
# change the member and log the decision with its statement of reasons in one transaction.


class SanctionRefused(ValidationError):
    """A warning, mute, appeal or review that the rules refuse: nothing was saved."""


# Decisions a member may contest: those that took something from them (an item, their voice).
APPEALABLE = {
    ModerationDecision.Action.AUTO_HIDE,
    ModerationDecision.Action.HIDE,
    ModerationDecision.Action.WARN,
    ModerationDecision.Action.MUTE,
    ModerationDecision.Action.BLOCK,
}
# Sanctions of a member: their appeals are the senior tier's (members.access.can_sanction).
SANCTIONS = {ModerationDecision.Action.WARN, ModerationDecision.Action.MUTE, ModerationDecision.Action.BLOCK}


def _sanction_label(member):
    return gettext("Account of %(member)s") % {"member": member}


def _source_item(source, member):
    """The item a sanction is about: the reported item of `source` when it comes from one, else the account."""
    if source is not None and source.target_label:
        return {"target_label": source.target_label, "target_url": source.target_url}
    return {"target_label": _sanction_label(member)}


def _decision_about(sanction, action):
    """The log line that imposed `sanction` (a Block or a Mute), found by its target."""
    from members.activity import describe

    return ModerationDecision.objects.filter(action=action, target=describe(sanction)).order_by("pk").first()


@transaction.atomic
def warn_member(member, *, by, rule, statement, note="", source=None, at=None):
    """Send `member` a warning they must acknowledge on /me/ before they post again; logs a WARN decision."""
    from members.scoring import invalidate

    at = at or timezone.now()
    decision = record_decision(
        ModerationDecision.Action.WARN,
        actor=by,
        member=member,
        **_source_item(source, member),
        rule=rule,
        statement=statement,
        note=note,
        concerns=source,
        at=at,
    )
    warning = Warning.objects.create(member=member, message=statement, created_by=by, created_at=at, decision=decision)
    after_sanction(member, by=by, at=at)
    transaction.on_commit(invalidate)  # a warned member leaves the ranking for a while
    return warning


@transaction.atomic
def acknowledge_warning(member, warning, *, at=None):
    """`member` has read `warning`: they may post again. Refused for someone else's warning."""
    warning = Warning.objects.select_for_update().filter(pk=warning.pk, member=member).first()
    if warning is None:
        raise SanctionRefused(gettext("This warning is not yours."), code="foreign")
    if warning.acknowledged_at is None:
        warning.acknowledged_at = at or timezone.now()
        warning.save(update_fields=["acknowledged_at"])
    return warning


@transaction.atomic
def mute_member(member, *, by, ends_at, rule, statement, note="", source=None, at=None):  # noqa: PLR0913
    """Mute `member` until `ends_at`: they read and edit their profile but post nothing. Logs a MUTE decision."""
    from members.scoring import invalidate

    at = at or timezone.now()
    if ends_at <= at:
        raise SanctionRefused(gettext("A mute ends in the future: choose a duration."), code="past")
    mute = Mute.objects.create(member=member, reason=statement, starts_at=at, ends_at=ends_at, created_by=by)
    mute.decision = record_decision(
        ModerationDecision.Action.MUTE,
        actor=by,
        member=member,
        target=mute,
        **_source_item(source, member),
        rule=rule,
        statement=statement,
        note=note,
        ends_at=ends_at,
        concerns=source,
        at=at,
    )
    mute.save(update_fields=["decision"])
    after_sanction(member, by=by, at=at)
    transaction.on_commit(invalidate)
    return mute


@transaction.atomic
def lift_mute(mute, *, by=None, at=None, statement=""):
    """End a mute now (if still in force); logs an UNMUTE decision concerning the MUTE one."""
    at = at or timezone.now()
    mute = Mute.objects.select_for_update().get(pk=mute.pk)
    if mute.ends_at <= at:
        return mute
    mute.ends_at = max(at, mute.starts_at)
    mute.save(update_fields=["ends_at"])
    record_decision(
        ModerationDecision.Action.UNMUTE,
        actor=by,
        member=mute.member,
        target=mute,
        target_label=_sanction_label(mute.member),
        statement=statement or gettext("Your mute is lifted: you can post again."),
        concerns=mute.decision,
        at=at,
    )
    return mute


# Appeals --------------------------------------------------------------------------------------


def why_cannot_appeal(member, decision):
    """Why `member` may not contest `decision`, in words (None when they may). Someone else's: see the view (404)."""
    if decision.member_id != member.pk:
        return gettext("This decision is not about you.")
    if decision.action not in APPEALABLE:
        return gettext("This decision cannot be contested.")
    if decision.followups.filter(action=ModerationDecision.Action.APPEAL).exists():
        return gettext("You already contested this decision: a decision can be contested once.")
    return None


@transaction.atomic
def appeal_decision(user, decision, *, text, at=None):
    """`user` contests `decision` (theirs) once, with a text; logs an APPEAL line concerning it."""
    from django.db import IntegrityError

    member = user.member
    reason = why_cannot_appeal(member, decision)
    if reason:
        raise SanctionRefused(reason, code="not_allowed")
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise SanctionRefused(gettext("Say why you contest this decision."), code="empty")
    if len(text) > APPEAL_MAX_LENGTH:
        raise SanctionRefused(
            gettext("An appeal has at most %(limit)d characters.") % {"limit": APPEAL_MAX_LENGTH}, code="too_long"
        )
    try:
        with transaction.atomic():
            return record_decision(
                ModerationDecision.Action.APPEAL,
                actor=user,
                member=member,
                target=decision.target,
                target_label=decision.target_label,
                target_url=decision.target_url,
                rule=decision.rule,
                details=text,
                concerns=decision,
                at=at,
            )
    except IntegrityError:  # the same appeal sent twice at once
        raise SanctionRefused(
            gettext("You already contested this decision: a decision can be contested once."), code="twice"
        ) from None


APPEAL_MAX_LENGTH = 4000


def why_cannot_review(user, appeal):
    """Why `user` may not decide on `appeal`, in words (None when they may)."""
    from members import access

    decision = appeal.concerns
    if not access.is_moderator(user):
        return gettext("Only moderators review appeals.")
    if appeal.action != ModerationDecision.Action.APPEAL or decision is None:
        return gettext("This is not an appeal.")
    if appeal.followups.exists():
        return gettext("This appeal was already reviewed.")
    if decision.actor_id == user.pk:
        return gettext("You took this decision: another moderator reviews the appeal against it.")
    if appeal.actor_id == user.pk:
        return gettext("You cannot review your own appeal.")
    if decision.action in SANCTIONS and not access.can_sanction(user):
        return gettext("Appeals against warnings, mutes and blocks are reviewed by senior moderators and staff.")
    return None


def _reverse(decision, *, by, at):
    """Undo `decision`: withdraw a warning, lift a mute or a block, or ask the item's app (reversal_for)."""
    from members.moderation import reversal_for

    action = decision.action
    if action == ModerationDecision.Action.WARN:
        for warning in Warning.objects.select_for_update().filter(decision=decision, acknowledged_at__isnull=True):
            warning.acknowledged_at = at
            warning.save(update_fields=["acknowledged_at"])
        return
    if action == ModerationDecision.Action.MUTE:
        for mute in Mute.objects.filter(decision=decision):
            lift_mute(mute, by=by, at=at, statement=gettext("Your appeal was granted: your mute is lifted."))
        return
    if action == ModerationDecision.Action.BLOCK:
        model, _sep, pk = decision.target.partition(":")
        block = Block.objects.filter(pk=pk).first() if model == "members.block" and pk.isdigit() else None
        if block is not None:
            lift_block(block, by=by, at=at, statement=gettext("Your appeal was granted: your block is lifted."))
        return
    reverse = reversal_for(decision)
    if reverse is None:
        raise SanctionRefused(
            gettext("This decision cannot be reversed from here: reverse it where the item lives."),
            code="no_reversal",
        )
    reverse(decision, actor=by, at=at)


@transaction.atomic
def review_appeal(user, appeal, *, grant, statement, note="", at=None):
    """Another moderator grants (reverses the decision) or rejects `appeal`, with a reason told to the member."""
    from members.scoring import invalidate

    at = at or timezone.now()
    # One review per appeal: lock the appeal so two moderators deciding at once do not both decide.
    appeal = ModerationDecision.objects.select_for_update(of=("self",)).select_related("concerns").get(pk=appeal.pk)
    reason = why_cannot_review(user, appeal)
    if reason:
        raise SanctionRefused(reason, code="not_allowed")
    statement = (statement or "").strip()
    if not statement:
        raise SanctionRefused(gettext("Give the reason: the member will read it."), code="empty")
    if grant:
        _reverse(appeal.concerns, by=user, at=at)
    outcome = record_decision(
        ModerationDecision.Action.APPEAL_GRANTED if grant else ModerationDecision.Action.APPEAL_REJECTED,
        actor=user,
        member=appeal.member,
        target=appeal.target,
        target_label=appeal.target_label,
        target_url=appeal.target_url,
        rule=appeal.rule,
        statement=statement,
        note=note,
        concerns=appeal,
        at=at,
    )
    transaction.on_commit(invalidate)
    return outcome
