"""What workshops hold about a member, for the export and the erasure (members.personal_data).

Registered from WorkshopsConfig.ready(). A registration carries every state
of a member's place: invitation, confirmed seat, waiting-list place, check-in
(present or absent), with its history. Erasure frees the seat first, through
the same cancellation as the member's own (so the waiting list is promoted and
an invitation wave invites the next one), then deletes the registrations: the
RSVP links die with their token hash, and the member leaves the attendees
list and its CSV. The private calendar feed is deleted, so its URL answers 404.
"""

from contextlib import suppress

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, iso, register


def _workshop(workshop):
    return {
        "workshop": workshop.title,
        "workshop_url": workshop.url_path,
        "starts_at": iso(workshop.starts_at),
        "ends_at": iso(workshop.ends_at),
        "venue": workshop.venue_name,
    }


@register
class WorkshopRegistrations(PersonalData):
    """Registrations, invitations, waiting-list places and check-ins."""

    identifier = "workshop_registrations"
    verbose_name = _("Workshop registrations, invitations and check-ins")
    covers = ("workshops.Registration.member",)

    def export_data(self, member):
        from workshops.models import Registration

        registrations = (
            Registration.objects.filter(member=member)
            .with_waitlist_position()
            .select_related("workshop")
            .prefetch_related("changes")
            .order_by("workshop__starts_at", "pk")
        )
        return [
            {
                **_workshop(registration.workshop),
                "status": registration.status,
                "code": registration.code,
                "registered_at": iso(registration.created_at),
                "invited": registration.invited_by_id is not None or registration.wave_id is not None,
                "answer_by": iso(registration.answer_by),
                "waitlisted_at": iso(registration.waitlisted_at),
                "waitlist_position": registration.waitlist_position(),
                "checked_in": registration.status == Registration.Status.ATTENDED,
                "email_sent_at": iso(registration.email_sent_at),
                "email_error": registration.email_error,
                "reminder_sent_at": iso(registration.reminder_sent_at),
                "history": [
                    {"from": change.from_status, "to": change.to_status, "at": iso(change.at), "note": change.note}
                    for change in registration.changes.all()
                ],
            }
            for registration in registrations
        ]

    def erase(self, member):
        from workshops import services
        from workshops.models import Registration

        holding = Registration.objects.filter(member=member, status__in=Registration.ACTIVE).select_related("workshop")
        for registration in holding:
            workshop = registration.workshop
            if workshop.is_past or workshop.is_cancelled:
                continue  # no seat to give to anyone
            # Should it have ended in the meantime, there is no seat to free: the row goes below.
            with suppress(services.WorkshopError):
                services.cancel(registration, note="account deleted")
        # Deleting takes the history (RegistrationChange) and the RSVP token hash with it.
        return Registration.objects.filter(member=member).delete()[0]


@register
class PrivateCalendarFeed(PersonalData):
    """The private calendar feed: its secret URL lists the member's workshops."""

    identifier = "workshop_calendar_feed"
    verbose_name = _("Private workshop calendar")
    covers = ("workshops.CalendarFeed.member",)

    def export_data(self, member):
        from django.urls import reverse

        from workshops.models import CalendarFeed

        feed = CalendarFeed.objects.filter(member=member).first()
        if feed is None:
            return None
        return {"url": reverse("workshops:member-calendar", args=[feed.secret]), "created_at": iso(feed.created_at)}

    def erase(self, member):
        from workshops.models import CalendarFeed

        return CalendarFeed.objects.filter(member=member).delete()[0]


@register
class WorkshopOrganising(PersonalData):
    """What a staff member did for workshops: invitation waves, invitations sent, registrations changed.

    Kept at erasure, attributed to the anonymised account (as revisions are);
    the export counts the invitations and changes per workshop without naming
    the members they concerned.
    """

    identifier = "workshop_organising"
    verbose_name = _("Workshops organised")
    covers = (
        "workshops.InvitationWave.created_by",
        "workshops.Registration.invited_by",
        "workshops.RegistrationChange.by",
    )

    def export_data(self, member):
        from workshops.models import InvitationWave, Registration, RegistrationChange

        user = member.user_id
        waves = InvitationWave.objects.filter(created_by=user).select_related("workshop").order_by("created_at")
        invited = (
            Registration.objects.filter(invited_by=user)
            .values("workshop__title")
            .annotate(count=Count("pk"))
            .order_by("workshop__title")
        )
        changes = (
            RegistrationChange.objects.filter(by=user)
            .exclude(registration__member=member)
            .values("registration__workshop__title")
            .annotate(count=Count("pk"))
            .order_by("registration__workshop__title")
        )
        return {
            "invitation_waves": [
                {**_workshop(wave.workshop), "created_at": iso(wave.created_at), "reserved_seats": wave.reserved_seats}
                for wave in waves
            ],
            "invitations_sent": [{"workshop": row["workshop__title"], "count": row["count"]} for row in invited],
            "registrations_changed": [
                {"workshop": row["registration__workshop__title"], "count": row["count"]} for row in changes
            ],
        }

    def erase(self, member):
        return 0
