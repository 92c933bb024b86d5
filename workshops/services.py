"""What happens to workshops and registrations.

Every function runs in one transaction and locks the workshop row
(`workshops.seats.lock`) before counting seats, so two requests can never
overbook; seating, the waiting list and promotion are workshops.seats'.
Bad input raises `WorkshopError` with a translated message and changes nothing.
Emails are queued as background tasks (workshops.tasks).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.activity import Kind, record
from workshops import seats
from workshops.models import Registration, WorkshopPage, hash_token
from workshops.seats import seat_filter  # noqa: F401 - public name, kept importable from here

Status = Registration.Status


class WorkshopError(Exception):
    """A refusal with a message for the user; nothing was changed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


@dataclass
class InviteResult:
    invited: list = field(default_factory=list)
    already: list = field(default_factory=list)
    not_invitable: list = field(default_factory=list)  # (member, reason)


# -- helpers ---------------------------------------------------------------


def _refill(registration, *, by=None):
    """An invitee of a wave said no: invite the next one on the list."""
    if registration.wave_id:
        from workshops.waves import fill_wave

        fill_wave(registration.wave, by=by)


def _check_open(workshop, *, for_registration=True):
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop has been cancelled."))
    if workshop.is_past:
        raise WorkshopError(_("This workshop is over."))
    if for_registration and timezone.now() >= workshop.deadline:
        raise WorkshopError(_("Registration for this workshop is closed."))


def _publish(workshop, by=None):
    """Save a locked workshop as a new published revision (so the admin sees the change).

    Publishing announces a change of time, place or status to registrants
    (workshops.signals -> `after_publish`), exactly as a publish from the
    Wagtail editor does.
    """
    revision = workshop.save_revision(user=by, clean=False)
    revision.publish(user=by, skip_permission_checks=True)
    return workshop


# -- members ---------------------------------------------------------------


@transaction.atomic
def register(member, workshop, *, by=None):
    """A member signs up: confirmed if a seat is free, else waitlisted."""
    workshop = seats.lock(workshop)
    _check_open(workshop)
    registration = Registration.objects.filter(member=member, workshop=workshop).first()
    if registration and registration.status in (Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED):
        return registration
    if workshop.registration_mode == WorkshopPage.Mode.INVITATION and not (
        registration and registration.status in (Status.INVITED, Status.DECLINED, Status.CANCELLED)
    ):
        raise WorkshopError(_("This workshop is by invitation only."))
    registration = registration or Registration(member=member, workshop=workshop)
    return seats.seat_or_waitlist(workshop, registration, by=by or member.user)


@transaction.atomic
def cancel(registration, *, by=None, note=""):
    """Withdraw a registration; a freed seat goes to the first waitlisted member."""
    workshop = seats.lock(registration.workshop)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in Registration.ACTIVE:
        raise WorkshopError(_("This registration cannot be cancelled any more."))
    if workshop.is_past:
        raise WorkshopError(_("This workshop is over."))
    to = Status.DECLINED if registration.status == Status.INVITED else Status.CANCELLED
    seats.set_status(registration, to, by=by, note=note)
    seats.promote(workshop, by=by)
    _refill(registration, by=by)
    return registration


@transaction.atomic
def rsvp(token, accept):
    """Answer an invitation from the personal link in an email (no sign-in)."""
    registration = (
        Registration.objects.select_related("workshop", "member__user")
        .filter(rsvp_token_hash=hash_token(token or ""))
        .first()
    )
    if registration is None:
        raise WorkshopError(_("This link is not valid. Use the most recent email about this workshop."))
    workshop = seats.lock(registration.workshop)
    if workshop.is_past:
        raise WorkshopError(_("This link has expired: the workshop is over."))
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop has been cancelled."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    by = registration.member.user
    if accept:
        if registration.status in (Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED):
            return registration
        _check_open(workshop)
        return seats.seat_or_waitlist(workshop, registration, by=by, note="answered from the email link")
    if registration.status in (Status.DECLINED, Status.CANCELLED):
        return registration
    if registration.status not in Registration.ACTIVE:
        raise WorkshopError(_("This registration cannot be cancelled any more."))
    to = Status.DECLINED if registration.status == Status.INVITED else Status.CANCELLED
    seats.set_status(registration, to, by=by, note="answered from the email link")
    seats.promote(workshop, by=by)
    _refill(registration)
    return registration


# -- staff -----------------------------------------------------------------


@transaction.atomic
def invite(workshop, members, *, by=None):
    """Invite members who consented; inviting someone twice sends nothing new."""
    from workshops import tasks

    workshop = seats.lock(workshop)
    _check_open(workshop)
    result = InviteResult()
    existing = {r.member_id: r for r in Registration.objects.filter(workshop=workshop, member__in=list(members))}
    for member in members:
        registration = existing.get(member.pk)
        if registration is not None:
            result.already.append((member, registration.get_status_display()))
            continue
        if not member.accept_invitations:
            result.not_invitable.append((member, _("has not agreed to be invited to workshops")))
            continue
        if not member.user.is_active or not member.user.email:
            result.not_invitable.append((member, _("has no active account with an email address")))
            continue
        registration = Registration(member=member, workshop=workshop, invited_by=by)
        seats.set_status(registration, Status.INVITED, by=by)
        tasks.send_invitation.enqueue(registration.pk)
        result.invited.append(registration)
    return result


@transaction.atomic
def set_capacity(workshop, capacity, *, by=None):
    """Change the number of seats; raising it promotes from the waiting list."""
    workshop = seats.lock(workshop)
    capacity = int(capacity)
    confirmed = seats.taken_seats(workshop)
    if capacity < confirmed:
        raise WorkshopError(
            ngettext(
                "The capacity cannot be lower than the %(count)s member already confirmed.",
                "The capacity cannot be lower than the %(count)s members already confirmed.",
                confirmed,
            )
            % {"count": confirmed}
        )
    workshop.capacity = capacity
    _publish(workshop, by)
    seats.promote(workshop, by=by)
    return workshop


@transaction.atomic
def check_in(registration, present, *, by=None):
    """Mark a registrant present or absent; attendance (not sign-up) goes to the ledger."""
    workshop = seats.lock(registration.workshop)
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop has been cancelled."))
    registration = Registration.objects.select_for_update().select_related("member").get(pk=registration.pk)
    if present:
        if registration.status == Status.ATTENDED:
            return registration
        seats.set_status(registration, Status.ATTENDED, by=by, note="checked in")
        registration.attendance = record(registration.member, Kind.WORKSHOP_ATTENDED, page=workshop, target=workshop)
        registration.save(update_fields=["attendance"])
        return registration
    if registration.status == Status.ABSENT:
        return registration
    if registration.attendance_id:
        record(registration.member, Kind.REVERTED, page=workshop, target=workshop, concerns=registration.attendance)
        registration.attendance = None
    seats.set_status(registration, Status.ABSENT, by=by, note="marked absent")
    return registration


@transaction.atomic
def add_walk_in(workshop, member, *, by=None):
    """Someone came without registering: register and check them in at once."""
    workshop = seats.lock(workshop)
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop has been cancelled."))
    registration = Registration.objects.filter(member=member, workshop=workshop).first()
    if registration is None:
        registration = Registration(member=member, workshop=workshop)
        seats.set_status(registration, Status.CONFIRMED, by=by, note="walk-in")
    return check_in(registration, True, by=by)


@transaction.atomic
def cancel_workshop(workshop, *, by=None):
    """Cancel the workshop; everyone registered gets an .ics METHOD:CANCEL (see `announce_change`)."""
    workshop = seats.lock(workshop)
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop has already been cancelled."))
    workshop.status = WorkshopPage.Status.CANCELLED
    _publish(workshop, by)
    workshop.refresh_from_db(fields=["ics_sequence"])
    return workshop


@transaction.atomic
def reschedule(workshop, *, starts_at=None, ends_at=None, venue_name=None, address=None, by=None):
    """Change time or place; registrants get an updated invitation (see `announce_change`)."""
    workshop = seats.lock(workshop)
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop has been cancelled."))
    changes = {"starts_at": starts_at, "ends_at": ends_at, "venue_name": venue_name, "address": address}
    changes = {k: v for k, v in changes.items() if v is not None and v != getattr(workshop, k)}
    if not changes:
        return workshop
    for name, value in changes.items():
        setattr(workshop, name, value)
    if workshop.ends_at <= workshop.starts_at:
        raise WorkshopError(_("The end must be after the start."))
    if workshop.registration_deadline and workshop.registration_deadline > workshop.starts_at:
        workshop.registration_deadline = None
    _publish(workshop, by)
    workshop.refresh_from_db(fields=["ics_sequence"])
    return workshop


# Published values whose change registrants must hear about.
ANNOUNCED_FIELDS = ("starts_at", "ends_at", "venue_name", "address", "status")


def live_values(workshop_pk):
    """The values currently published (the page row), before a new revision is written over them."""
    return WorkshopPage.objects.filter(pk=workshop_pk).values(*ANNOUNCED_FIELDS, "ics_sequence", "capacity").first()


def notice_for(before, workshop):
    """The notice a newly published workshop calls for, compared with `before`: "cancelled", "updated" or None."""
    was_cancelled = before["status"] == WorkshopPage.Status.CANCELLED
    if workshop.is_cancelled:
        return None if was_cancelled else "cancelled"
    if was_cancelled:
        return None
    if any(before[name] != getattr(workshop, name) for name in ANNOUNCED_FIELDS):
        return "updated"
    return None


@transaction.atomic
def announce_change(workshop, before):
    """Tell registrants about a published change of time, place or status; returns the notice sent.

    The one path for every publish, whether from the check-in page
    (`reschedule`, `cancel_workshop`) or from the Wagtail editor: the
    `page_published` receiver (workshops.signals) calls it once per publish
    with the values that were live before. The calendar SEQUENCE goes up by
    one (same UID), and everyone invited, confirmed or waitlisted gets an
    updated invitation (METHOD:REQUEST) or a cancellation (METHOD:CANCEL).
    """
    from workshops import tasks

    kind = notice_for(before, workshop)
    if kind is None:
        return None
    WorkshopPage.objects.filter(pk=workshop.pk).update(ics_sequence=F("ics_sequence") + 1)
    workshop.ics_sequence = WorkshopPage.objects.values_list("ics_sequence", flat=True).get(pk=workshop.pk)
    for pk in workshop.registrations.filter(status__in=Registration.ACTIVE).values_list("pk", flat=True):
        tasks.send_notice.enqueue(pk, kind)
    return kind


@transaction.atomic
def after_publish(workshop, before, *, by=None):
    """What a newly published workshop calls for, wherever it was published (workshops.signals).

    A change of time, place or status is announced (`announce_change`); more
    seats promote from the waiting list, as `set_capacity` does.
    """
    kind = announce_change(workshop, before)
    if not workshop.is_cancelled and workshop.capacity > before["capacity"]:
        seats.promote(seats.lock(workshop), by=by)
    return kind


@transaction.atomic
def reset_calendar_feed(member):
    """A new secret for the member's private calendar; the old URL stops working."""
    from workshops.models import CalendarFeed, new_feed_secret

    feed, _created = CalendarFeed.objects.get_or_create(member=member)
    feed.secret = new_feed_secret()
    feed.save()
    return feed


REMINDER_BEFORE = timedelta(days=2)


def send_reminders(*, now=None):
    """Queue one reminder per confirmed registration for workshops starting within two days.

    Each registration is claimed with a conditional UPDATE before its email is
    queued, so two overlapping runs (cron and a worker) never send it twice.
    """
    from workshops import tasks

    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        workshop__live=True,
        workshop__status=WorkshopPage.Status.SCHEDULED,
        workshop__starts_at__gt=now,
        workshop__starts_at__lte=now + REMINDER_BEFORE,
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        if Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
            tasks.send_notice.enqueue(pk, "reminder")
            sent += 1
    return sent


@transaction.atomic
def close_workshop(workshop, *, writeup, attendee_count=None, by):
    """Publish the write-up on the workshop page and append it to the wiki pages it was about.

    `attendee_count` defaults to the number checked in. Each related wiki page
    gets a new revision through the wiki's own editing service (so history,
    conflicts and the ledger work as for any edit).
    """
    from django.core.exceptions import PermissionDenied
    from django.utils.html import escape, linebreaks

    from members.services import ensure_member

    workshop = seats.lock(workshop)
    writeup = (writeup or "").strip()
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop has been cancelled."))
    if workshop.starts_at > timezone.now():
        raise WorkshopError(_("A workshop can be closed once it has started."))
    if not writeup:
        raise WorkshopError(_("The write-up cannot be empty."))
    attended = workshop.registrations.filter(status=Status.ATTENDED).count()
    workshop.writeup = linebreaks(escape(writeup))
    workshop.attendee_count = attended if attendee_count is None else int(attendee_count)
    first_close = workshop.closed_at is None
    workshop.closed_at = timezone.now()
    _publish(workshop, by)
    if first_close:
        record(ensure_member(by), Kind.WRITEUP, page=workshop, target=workshop, chars_changed=len(writeup), facts={})
        for link in workshop.related_pages.select_related("page"):
            page = link.page.specific
            if not hasattr(page, "body"):
                continue
            from wiki import services as wiki_services

            heading = _("Workshop of %(date)s: %(title)s") % {
                "date": timezone.localtime(workshop.starts_at).strftime("%d/%m/%Y"),
                "title": workshop.title,
            }
            footer = ngettext(
                "%(count)s participant. Details: %(url)s",
                "%(count)s participants. Details: %(url)s",
                workshop.attendee_count,
            ) % {
                "count": workshop.attendee_count,
                "url": workshop.full_url_or_path(),
            }
            body = f"{page.body.rstrip()}\n\n## {heading}\n\n{writeup}\n\n*{footer}*\n"
            try:
                wiki_services.edit_page(
                    by,
                    page,
                    base_revision_id=page.latest_revision_id,
                    title=page.title,
                    body=body,
                    summary=str(_("Workshop write-up")),
                )
            except PermissionDenied as error:
                raise WorkshopError(_("You cannot edit the wiki page “%(title)s”.") % {"title": page.title}) from error
    return workshop
