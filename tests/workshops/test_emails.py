import re
import smtplib
import time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from civic.models import MailFailure
from workshops import calendar as workshop_calendar
from workshops import services, tasks
from workshops.models import Registration, WorkshopPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language_after():
    """Pages asked in English leave English active in this thread (CookieLocaleMiddleware): put French back."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def parts(message):
    html = {mime: body for body, mime in message.alternatives}["text/html"]
    [ics] = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
    return message.body, html, ics


def test_invitation_email_content_links_and_ics(workshop, make_member, staff):
    member = make_member()
    services.invite(workshop, [member], by=staff)
    [message] = mail.outbox
    text, html, ics = parts(message)
    assert message.to == [member.user.email]
    with translation.override("fr"):
        assert translation.gettext("The calendar invitation is attached.") in text
    assert workshop.title in message.subject and workshop.address in text
    accept = re.search(r"https?://\S+/workshops-rsvp/[\w-]+/accept/", text).group(0)
    decline = re.search(r"https?://\S+/workshops-rsvp/[\w-]+/decline/", text).group(0)
    withdraw = re.search(r"https?://\S+/workshops-rsvp/withdraw/\S+/", text).group(0)
    assert accept in html and decline in html
    assert ics.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(ics.get_content())
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["ATTENDEE"]) == f"mailto:{member.user.email}"
    assert str(event["UID"]) == workshop.uid

    client = Client()
    path = accept.split("//", 1)[1].split("/", 1)[1]
    # GET only asks for confirmation: nothing changes.
    assert client.get("/" + path).status_code == 200
    assert Registration.objects.get(member=member).status == Registration.Status.INVITED
    assert client.post("/" + path).status_code == 200
    assert Registration.objects.get(member=member).status == Registration.Status.CONFIRMED

    withdraw_path = "/" + withdraw.split("//", 1)[1].split("/", 1)[1]
    assert client.get(withdraw_path).status_code == 200
    member.refresh_from_db()
    assert member.accept_invitations
    client.post(withdraw_path)
    member.refresh_from_db()
    assert not member.accept_invitations
    assert member.consent_records.filter(consent="invitations", given=False).exists()


def test_rsvp_pages_for_bad_links(client, workshop, make_member, staff):
    assert client.get("/workshops-rsvp/forged-token/accept/").status_code == 404
    assert client.post("/workshops-rsvp/forged-token/decline/").status_code == 404
    assert client.get("/workshops-rsvp/withdraw/forged/").status_code == 404
    member = make_member()
    services.invite(workshop, [member], by=staff)
    token = Registration.objects.get(member=member).issue_token()
    services.cancel_workshop(workshop)
    response = client.post(f"/workshops-rsvp/{token}/accept/")
    assert response.status_code == 400
    assert Registration.objects.get(member=member).status == Registration.Status.INVITED


def test_emails_are_french_by_default(workshop, make_member, staff):
    with translation.override("en"):
        services.invite(workshop, [make_member()], by=staff)
    with translation.override("fr"):
        expected = translation.gettext("Stop receiving invitations")
    assert expected in mail.outbox[0].body


def test_confirmation_email_carries_the_code_and_a_qr_code(workshop, make_member):
    member = make_member()
    registration = services.register(member, workshop)
    [message] = mail.outbox
    assert registration.code in message.body
    [png] = [a for a in message.attachments if a.get_content_type() == "image/png"]
    assert png.get_content().startswith(b"\x89PNG")
    _text, html, ics = parts(message)
    assert registration.code in html
    assert "PARTSTAT=ACCEPTED" in ics.get_content()


def test_withdraw_link_expires_and_points_to_the_profile(client, workshop, make_member, settings, monkeypatch):
    member = make_member()
    settings.WITHDRAW_LINK_MAX_AGE_DAYS = 30
    now = time.time()
    with monkeypatch.context() as past:
        past.setattr(time, "time", lambda: now - 31 * 86400)
        old_link = tasks.withdraw_url(member)
    with monkeypatch.context() as recent:
        recent.setattr(time, "time", lambda: now - 29 * 86400)
        recent_link = tasks.withdraw_url(member)
    old_path = "/" + old_link.split("//", 1)[1].split("/", 1)[1]
    recent_path = "/" + recent_link.split("//", 1)[1].split("/", 1)[1]

    client.cookies["django_language"] = "en"
    response = client.post(old_path)
    assert response.status_code == 410
    assert "This link has expired." in response.text
    assert f'href="{reverse("members:profile")}"' in response.text
    member.refresh_from_db()
    assert member.accept_invitations

    assert client.post(recent_path).status_code == 200
    member.refresh_from_db()
    assert not member.accept_invitations


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message, as a full mailbox or a wrong password would."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.fr": (550, b"mailbox unavailable")})


@pytest.mark.parametrize("title", ["Atelier\nvélo", "Atelier\r\nvélo", "Atelier\x0bvélo", "Atelier\u2028vélo"])
def test_a_title_with_a_line_break_in_the_database_still_sends(workshop, make_member, staff, title):
    # The admin refuses such titles now; older rows or other writers may still hold one.
    WorkshopPage.objects.filter(pk=workshop.pk).update(title=title)
    workshop.refresh_from_db()
    member = make_member()
    services.invite(workshop, [member], by=staff)
    [message] = mail.outbox
    assert message.subject.endswith("Atelier vélo")
    assert message.message()["Subject"].endswith("Atelier vélo")
    assert Registration.objects.get(member=member).email_error == ""
    assert not MailFailure.objects.exists()


@pytest.mark.parametrize("title", ["Atelier\nvélo", "Atelier\rvélo", "Atelier\x00vélo", "Atelier\tvélo"])
def test_the_admin_refuses_a_title_with_control_characters(client, workshop, staff, title):
    from tests.workshops.test_admin_edit import publish

    client.force_login(staff)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = publish(client, workshop, title=title)
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors.get("title", []))
    assert "control characters" in errors or "Null characters" in errors
    workshop.refresh_from_db()
    assert workshop.title != title


def test_a_failed_send_is_visible_with_its_reason(client, settings, workshop, make_member, staff, moderator):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    member = make_member()
    services.invite(workshop, [member], by=staff)
    registration = Registration.objects.get(member=member)
    assert registration.email_error.startswith("invitation: SMTPRecipientsRefused")
    assert "mailbox unavailable" in registration.email_error
    [failure] = MailFailure.objects.all()
    assert failure.kind == "workshops: invitation"
    assert failure.recipients == member.user.email
    assert workshop.title in failure.subject
    assert "mailbox unavailable" in failure.error

    # Staff find it in the Wagtail admin ("Failed emails") and on the check-in page.
    client.force_login(staff)
    listing = client.get(reverse("failed_emails:index"))
    assert listing.status_code == 200
    assert member.user.email in listing.text and "mailbox unavailable" in listing.text
    assert client.get(reverse("failed_emails:inspect", args=[failure.pk])).status_code == 200
    assert "mailbox unavailable" in client.get(workshop.url + workshop.reverse_subpage("check-in")).text

    # Moderators and residents do not see other people's addresses.
    client.force_login(moderator)
    assert client.get(reverse("failed_emails:index")).status_code in (302, 403)


def test_workshop_emails_and_calendars_link_to_the_demo_port(settings, workshop, make_member, staff):
    settings.SITE_URL = "http://127.0.0.1:8101"
    services.invite(workshop, [make_member()], by=staff)
    [message] = mail.outbox
    links = re.findall(r"https?://[^\s\"<>]+", message.body)
    # The shared email layout ends with the site's address; every other link leads into the site.
    assert links and all(link == "http://127.0.0.1:8101" or link.startswith("http://127.0.0.1:8101/") for link in links)
    assert workshop_calendar.page_url(workshop) == f"http://127.0.0.1:8101{workshop.url}"
    assert workshop.full_url_or_path() == f"http://127.0.0.1:8101{workshop.url}"
