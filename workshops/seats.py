"""Seats: locking a workshop, counting its seats, seating or waitlisting, promoting from the waiting list.

The one module that decides who holds a seat. Every caller (workshops.services,
workshops.waves) runs inside a transaction and calls `lock` first, so two
requests never count the same free seat: the workshop row stays locked
(`select_for_update`) until the transaction ends.
"""

from django.db.models import Count, Q
from django.utils import timezone

from workshops.models import Registration, RegistrationChange, WorkshopPage

Status = Registration.Status


def lock(workshop):
    """The workshop row, locked until the end of the transaction."""
    return WorkshopPage.objects.select_for_update(of=("self",)).get(pk=workshop.pk)


def set_status(registration, to, *, by=None, note=""):
    """Move a registration to status `to`, with a line in its history (RegistrationChange)."""
    before = registration.status if registration.pk else ""
    if to == Status.WAITLISTED and before != Status.WAITLISTED:
        registration.waitlisted_at = timezone.now()  # the waiting list is first come, first served
    registration.status = to
    registration.save()
    RegistrationChange.objects.create(registration=registration, from_status=before, to_status=to, by=by, note=note)
    return registration


def seat_filter(lookup="status"):
    """Q: the registration whose status is at `lookup` takes a seat."""
    return Q(**{f"{lookup}__in": Registration.SEAT_TAKING})


def taken_seats(workshop):
    """Seats taken by registrations (confirmed or attended)."""
    return workshop.registrations.filter(seat_filter()).count()


def unfilled_reserved_seats(workshop):
    """Seats still held for active invitation waves (not yet taken by their invitees)."""
    waves = workshop.waves.filter(active=True).annotate(
        taken=Count("registrations", filter=seat_filter("registrations__status"))
    )
    return sum(max(0, wave.reserved_seats - wave.taken) for wave in waves)


def free_seats(workshop, registration):
    """Free seats for this registration: seats held for invitation waves are not public."""
    free = workshop.capacity - taken_seats(workshop)
    if registration.wave_id is None:
        free -= unfilled_reserved_seats(workshop)
    return free


def seat_or_waitlist(workshop, registration, *, by=None, note=""):
    """Confirm the registration if a seat is free for it, else put it on the waiting list; a seat is announced."""
    from workshops import tasks

    to = Status.CONFIRMED if free_seats(workshop, registration) > 0 else Status.WAITLISTED
    set_status(registration, to, by=by, note=note)
    if to == Status.CONFIRMED:
        tasks.send_notice.enqueue(registration.pk, "confirmed")
    return registration


def promote(workshop, *, by=None):
    """Fill free seats from the waiting list, first come first served; tell each one. Returns the promoted."""
    from workshops import tasks

    if workshop.is_past:
        return []
    promoted = []
    if workshop.capacity - taken_seats(workshop) <= 0:
        return promoted
    waiting = workshop.registrations.select_for_update().filter(status=Status.WAITLISTED)
    for registration in waiting.order_by("waitlisted_at", "pk"):
        if free_seats(workshop, registration) <= 0:
            continue
        set_status(registration, Status.CONFIRMED, by=by, note="promoted from the waiting list")
        tasks.send_notice.enqueue(registration.pk, "promoted")
        promoted.append(registration)
    return promoted
