"""Staff editing a workshop in the Wagtail admin: registrants hear about changes of time, place and status."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from icalendar import Calendar
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from workshops import services
from workshops.models import Registration, WorkshopPage

pytestmark = pytest.mark.django_db

Status = Registration.Status


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def form_data(workshop, **changes):
    """The edit form as the admin would post it, with `changes` applied, publishing."""
    fields = {
        "title": workshop.title,
        "slug": workshop.slug,
        "description": workshop.description,
        "starts_at": workshop.starts_at,
        "ends_at": workshop.ends_at,
        "venue_name": workshop.venue_name,
        "address": workshop.address,
        "commune": workshop.commune_id,
        "accessibility": workshop.accessibility,
        "capacity": workshop.capacity,
        "registration_mode": workshop.registration_mode,
        "registration_deadline": workshop.registration_deadline,
        "status": workshop.status,
        "writeup": workshop.writeup,
        "attendee_count": workshop.attendee_count,
    }
    fields.update(changes)
    data = {
        **fields,
        "description": rich_text(fields["description"]),
        "writeup": rich_text(fields["writeup"]),
        "starts_at": local(fields["starts_at"]),
        "ends_at": local(fields["ends_at"]),
        "registration_deadline": local(fields["registration_deadline"]),
        "commune": fields["commune"] or "",
        "attendee_count": "" if fields["attendee_count"] is None else fields["attendee_count"],
        "related_pages": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "action-publish",
    }
    return nested_form_data(data)


def publish(client, workshop, **changes):
    workshop = WorkshopPage.objects.get(pk=workshop.pk)
    return client.post(reverse("wagtailadmin_pages:edit", args=[workshop.pk]), form_data(workshop, **changes))


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def registered(make_workshop, make_member, staff):
    """A workshop (times to the minute, as the admin form sends them) with one registrant of each status."""
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    workshop = make_workshop(starts_at=start, capacity=1, description="<p>Avant</p>")
    confirmed, waitlisted, invited, declined = (make_member() for _ in range(4))
    services.register(confirmed, workshop)
    services.register(waitlisted, workshop)
    services.invite(workshop, [invited, declined], by=staff)
    services.cancel(Registration.objects.get(member=declined))
    mail.outbox.clear()
    expected = sorted(m.user.email for m in (confirmed, waitlisted, invited))
    return workshop, expected


def calendars(messages):
    """(METHOD, UID, SEQUENCE, DTSTART) of the .ics attached to each message."""
    found = []
    for message in messages:
        [part] = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
        calendar = Calendar.from_ical(part.get_content())
        [event] = calendar.walk("VEVENT")
        found.append((str(calendar["METHOD"]), str(event["UID"]), int(event["SEQUENCE"]), event.decoded("DTSTART")))
    return found


def test_time_change_published_in_the_admin_sends_an_updated_invitation(admin_client, registered):
    workshop, expected = registered
    start = workshop.starts_at + timedelta(days=1, hours=2)
    response = publish(admin_client, workshop, starts_at=start, ends_at=start + timedelta(hours=2))
    assert response.status_code == 302, response.context and response.context["form"].errors
    workshop.refresh_from_db()
    assert workshop.starts_at == start and workshop.ics_sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert calendars(mail.outbox) == [("REQUEST", workshop.uid, 1, start)] * len(expected)
    # The feeds carry the new sequence too.
    assert "SEQUENCE:1" in admin_client.get(workshop.url + "event.ics").text
    # A second change goes one higher, even though the editor's revision was saved with the old sequence.
    mail.outbox.clear()
    assert publish(admin_client, workshop, venue_name="Centre social").status_code == 302
    workshop.refresh_from_db()
    assert workshop.ics_sequence == 2
    assert {c[2] for c in calendars(mail.outbox)} == {2} and len(mail.outbox) == len(expected)


def test_cancelling_in_the_admin_sends_ics_cancel(admin_client, registered):
    workshop, expected = registered
    response = publish(admin_client, workshop, status=WorkshopPage.Status.CANCELLED)
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.is_cancelled and workshop.ics_sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert {c[:3] for c in calendars(mail.outbox)} == {("CANCEL", workshop.uid, 1)}
    # Publishing the cancelled workshop again (a typo fixed) tells nobody anything.
    mail.outbox.clear()
    assert publish(admin_client, workshop, accessibility="Rampe à l'entrée").status_code == 302
    assert mail.outbox == []


def test_unrelated_change_sends_nothing(admin_client, registered):
    workshop, _expected = registered
    response = publish(admin_client, workshop, description="<p>Après</p>", accessibility="Ascenseur")
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert "Après" in workshop.description and workshop.ics_sequence == 0
    assert mail.outbox == []


def test_raising_capacity_in_the_admin_promotes_from_the_waiting_list(admin_client, registered, staff):
    workshop, _expected = registered
    [waitlisted] = workshop.registrations.filter(status=Status.WAITLISTED)
    assert publish(admin_client, workshop, capacity=2).status_code == 302
    waitlisted.refresh_from_db()
    assert waitlisted.status == Status.CONFIRMED
    assert waitlisted.changes.last().by == staff
    # A seat, not a change of the event: one "promoted" email, calendar sequence unchanged.
    assert [m.to for m in mail.outbox] == [[waitlisted.member.user.email]]
    assert calendars(mail.outbox) == [("REQUEST", workshop.uid, 0, workshop.starts_at)]


def test_saving_a_draft_sends_nothing_until_published(admin_client, registered):
    workshop, expected = registered
    start = workshop.starts_at + timedelta(hours=1)
    data = form_data(workshop, starts_at=start, ends_at=start + timedelta(hours=2))
    del data["action-publish"]
    assert admin_client.post(reverse("wagtailadmin_pages:edit", args=[workshop.pk]), data).status_code == 302
    workshop.refresh_from_db()
    assert mail.outbox == [] and workshop.ics_sequence == 0 and workshop.starts_at != start
    # Publishing that draft (from the latest revision) announces it.
    workshop.get_latest_revision().publish()
    workshop.refresh_from_db()
    assert workshop.starts_at == start and workshop.ics_sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == expected


def test_check_in_page_services_notify_once(registered, staff):
    workshop, expected = registered
    start = workshop.starts_at + timedelta(days=2)
    services.reschedule(workshop, starts_at=start, ends_at=start + timedelta(hours=2), by=staff)
    workshop.refresh_from_db()
    assert workshop.ics_sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert {c[:3] for c in calendars(mail.outbox)} == {("REQUEST", workshop.uid, 1)}
    mail.outbox.clear()
    services.cancel_workshop(workshop, by=staff)
    workshop.refresh_from_db()
    assert workshop.ics_sequence == 2
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert {c[:3] for c in calendars(mail.outbox)} == {("CANCEL", workshop.uid, 2)}


def test_admin_refuses_capacity_below_confirmed_and_end_before_start(admin_client, registered):
    workshop, _expected = registered
    before = WorkshopPage.objects.values("capacity", "ends_at", "ics_sequence").get(pk=workshop.pk)
    revisions = workshop.revisions.count()

    response = publish(admin_client, workshop, capacity=0)
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == [
        ngettext(
            "The capacity cannot be lower than the %(count)s member already confirmed.",
            "The capacity cannot be lower than the %(count)s members already confirmed.",
            1,
        )
        % {"count": 1}
    ]

    response = publish(admin_client, workshop, ends_at=workshop.starts_at - timedelta(hours=1))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == [gettext("The end must be after the start.")]
    assert gettext("The end must be after the start.") in response.text

    assert WorkshopPage.objects.values("capacity", "ends_at", "ics_sequence").get(pk=workshop.pk) == before
    assert workshop.revisions.count() == revisions
    assert mail.outbox == []
