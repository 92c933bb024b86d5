from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from members.services import ensure_member
from workshops import services
from workshops.models import CalendarFeed, WorkshopPage

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [tz] = calendar.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Paris"
    return calendar


def test_event_ics_of_one_workshop(client, workshop):
    calendar = parse(client.get(workshop.url + "event.ics"))
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"workshop-{workshop.pk}@quartiers"
    assert event["DTSTART"].dt == workshop.starts_at.replace(microsecond=0)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTEND"].dt == workshop.ends_at.replace(microsecond=0)
    description = str(event["DESCRIPTION"])
    assert workshop.address in description
    assert workshop.url in description and description.count("http") >= 1
    assert int(event["SEQUENCE"]) == 0


def test_index_calendar_lists_upcoming_open_workshops(client, workshop_index, make_workshop):
    upcoming = make_workshop()
    make_workshop(registration_mode=WorkshopPage.Mode.INVITATION)
    make_workshop(starts_at=timezone.now() - timedelta(days=3))
    calendar = parse(client.get(workshop_index.url + "calendar.ics"))
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [upcoming.uid]


def test_empty_index_calendar_is_still_valid(client, workshop_index):
    assert parse(client.get(workshop_index.url + "calendar.ics")).walk("VEVENT") == []


def test_private_member_feed_and_reset(client, make_workshop, make_member):
    member = make_member()
    mine, other = make_workshop(), make_workshop()
    services.register(member, mine)
    feed = CalendarFeed.objects.create(member=member)
    from django.urls import reverse

    url = reverse("workshops:member-calendar", args=[feed.secret])
    calendar = parse(client.get(url))
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [mine.uid]
    assert other.uid.encode() not in client.get(url).content
    services.reset_calendar_feed(member)
    assert client.get(url).status_code == 404
    feed.refresh_from_db()
    assert client.get(reverse("workshops:member-calendar", args=[feed.secret])).status_code == 200


def test_my_calendar_page_requires_sign_in_and_resets(client, resident):
    from django.urls import reverse

    url = reverse("workshops:my-calendar")
    assert client.get(url).status_code == 302
    client.force_login(resident)
    response = client.get(url)
    secret = CalendarFeed.objects.get(member=ensure_member(resident)).secret
    assert secret in response.content.decode()
    assert client.post(url).status_code == 302
    assert CalendarFeed.objects.get(member=resident.member).secret != secret


def test_cancelled_workshop_feed_says_cancelled(client, workshop):
    services.cancel_workshop(workshop)
    workshop.refresh_from_db()
    [event] = parse(client.get(workshop.url + "event.ics")).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 1
