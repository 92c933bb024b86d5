"""iCalendar (RFC 5545) files for workshops, built with the icalendar library."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from civic import site_url

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//Quartiers//Workshops//FR"


def organizer_address():
    from email.utils import parseaddr

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = vText(name or "Quartiers")
    return organizer


def page_url(workshop):
    return site_url.absolute_url(workshop.get_url())


def describe(workshop):
    """DESCRIPTION text: calendar apps ignore URL, so the address and link are written out."""
    lines = [strip_tags(workshop.description or "").strip()]
    lines.append(_("Venue: %(venue)s, %(address)s") % {"venue": workshop.venue_name, "address": workshop.address})
    if workshop.accessibility:
        lines.append(_("Accessibility: %(info)s") % {"info": workshop.accessibility})
    lines.append(_("Details and registration: %(url)s") % {"url": page_url(workshop)})
    return "\n\n".join(line for line in lines if line)


def make_event(workshop, *, attendee=None, cancelled=False):
    event = Event()
    event.add("uid", workshop.uid)
    event.add("sequence", workshop.ics_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", workshop.starts_at.astimezone(PARIS))
    event.add("dtend", workshop.ends_at.astimezone(PARIS))
    event.add("summary", workshop.title)
    event.add("location", f"{workshop.venue_name}, {workshop.address}")
    event.add("description", describe(workshop))
    event.add("url", page_url(workshop))
    cancelled = cancelled or workshop.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if attendee is not None:
        event.add("organizer", organizer_address())
        person = vCalAddress(f"mailto:{attendee.member.user.email}")
        person.params["CN"] = vText(attendee.member.pseudonym)
        person.params["ROLE"] = vText("REQ-PARTICIPANT")
        person.params["PARTSTAT"] = vText(
            "ACCEPTED" if attendee.status in ("confirmed", "attended") else "NEEDS-ACTION"
        )
        person.params["RSVP"] = vText("FALSE")
        event.add("attendee", person, encode=0)
    return event


def build(workshops, *, name="Quartiers", method=None, attendee=None):
    """A calendar (bytes) of the given workshops, with a VTIMEZONE for Europe/Paris."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    if method:
        calendar.add("method", method)
    workshops = list(workshops)
    for workshop in workshops:
        calendar.add_component(make_event(workshop, attendee=attendee, cancelled=method == "CANCEL"))
    if workshops:
        first = min(w.starts_at for w in workshops).date() - timedelta(days=366)
        last = max(w.ends_at for w in workshops).date() + timedelta(days=366)
    else:
        today = date.today()
        first, last = today - timedelta(days=366), today + timedelta(days=366)
    # Always carry the zone, first, so an empty feed is still a complete calendar.
    calendar.subcomponents.insert(0, Timezone.from_tzid("Europe/Paris", first_date=first, last_date=last))
    return calendar.to_ical()


def invitation(registration, method="REQUEST"):
    return build([registration.workshop], method=method, attendee=registration)
