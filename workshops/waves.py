"""Invitation waves: invite down the engagement ranking until the reserved seats are filled.

`fill_wave` is called when a wave is created, when an invitee of the wave
declines or cancels, and periodically by `manage.py run_invitation_waves`
(which also expires unanswered invitations).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from members.models import Member
from members.scoring import rank_members
from wiki import territory
from workshops import seats
from workshops.models import InvitationWave, Registration

Status = Registration.Status
HOLDING = (Status.INVITED, Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED)


def eligible_members(wave, now):
    """Members ranked by engagement who may be invited now, best first."""
    standings = rank_members(period=wave.period, commune=wave.commune, neighbourhood=wave.neighbourhood, now=now)
    ranked = [standing.member for standing in standings]
    allowed = set(
        Member.objects.filter(pk__in=[m.pk for m in ranked], accept_invitations=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("pk", flat=True)
    )
    already = set(Registration.objects.filter(workshop=wave.workshop).values_list("member_id", flat=True))
    this_month = dict(
        Registration.objects.filter(created_at__gte=now - timedelta(days=30), invited_by__isnull=False)
        .values("member")
        .annotate(n=Count("pk"))
        .values_list("member", "n")
    )
    this_month_waves = dict(
        Registration.objects.filter(created_at__gte=now - timedelta(days=30), wave__isnull=False)
        .values("member")
        .annotate(n=Count("pk"))
        .values_list("member", "n")
    )
    return [
        member
        for member in ranked
        if member.pk in allowed
        and member.pk not in already
        and max(this_month.get(member.pk, 0), this_month_waves.get(member.pk, 0)) < wave.max_per_month
    ]


def choose(wave, need, eligible, holding):
    """Pick `need` members: quotas first (newcomers, then each neighbourhood), then by rank."""
    attended = set(Registration.objects.filter(status=Status.ATTENDED).values_list("member_id", flat=True))
    chosen = []

    def count(predicate):
        return sum(1 for member in holding + chosen if predicate(member))

    def take(predicate, minimum):
        for member in eligible:
            if len(chosen) >= need or count(predicate) >= minimum:
                return
            if predicate(member) and member not in chosen:
                chosen.append(member)

    if wave.min_newcomers:
        take(lambda m: m.pk not in attended, wave.min_newcomers)
    if wave.min_per_neighbourhood:
        neighbourhoods = territory.neighbourhoods()
        if wave.neighbourhood_id:
            neighbourhoods = neighbourhoods.filter(pk=wave.neighbourhood_id)
        elif wave.commune_id:
            neighbourhoods = territory.neighbourhoods(wave.commune)
        for pk in neighbourhoods.order_by("path").values_list("pk", flat=True):
            take(lambda m, pk=pk: m.neighbourhood_id == pk, wave.min_per_neighbourhood)
    for member in eligible:
        if len(chosen) >= need:
            break
        if member not in chosen:
            chosen.append(member)
    return chosen


@transaction.atomic
def fill_wave(wave, *, now=None, by=None):
    """Expire late invitations, then invite the next eligible members; returns the new registrations."""
    from workshops import tasks

    now = now or timezone.now()
    workshop = seats.lock(wave.workshop)
    wave = InvitationWave.objects.select_for_update().get(pk=wave.pk)
    if not wave.active:
        return []
    if workshop.is_cancelled or now >= workshop.deadline:
        wave.active = False
        wave.save(update_fields=["active"])
        return []
    for late in wave.registrations.select_for_update().filter(status=Status.INVITED, answer_by__lt=now):
        seats.set_status(late, Status.DECLINED, note="no answer before the deadline")
    holding = [r.member for r in wave.registrations.select_related("member").filter(status__in=HOLDING)]
    need = wave.reserved_seats - len(holding)
    if need <= 0:
        return []
    chosen = choose(wave, need, eligible_members(wave, now), holding)
    if not chosen:
        if not wave.registrations.filter(status=Status.INVITED).exists():
            # The list ran out: the seats still held go back to public registration.
            wave.active = False
            wave.save(update_fields=["active"])
            seats.promote(workshop, by=by)
        return []
    invited = []
    for member in chosen:
        registration = Registration(
            member=member,
            workshop=workshop,
            invited_by=by or wave.created_by,
            wave=wave,
            answer_by=min(now + timedelta(hours=wave.answer_within_hours), workshop.deadline),
        )
        seats.set_status(registration, Status.INVITED, by=by, note="invitation wave")
        tasks.send_invitation.enqueue(registration.pk)
        invited.append(registration)
    return invited


def run_waves(*, now=None):
    now = now or timezone.now()
    count = 0
    for wave in InvitationWave.objects.filter(active=True).select_related("workshop"):
        count += len(fill_wave(wave, now=now))
    return count
