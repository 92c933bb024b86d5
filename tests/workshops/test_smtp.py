"""One invitation through a real SMTP server started by the test (aiosmtpd)."""

import email
import email.policy
import socket

import pytest
from icalendar import Calendar

from workshops import services

pytestmark = pytest.mark.django_db

aiosmtpd = pytest.importorskip("aiosmtpd.controller")


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    yield inbox
    controller.stop()


def test_invitation_goes_through_smtp_with_text_html_and_calendar(smtp_server, workshop, make_member, staff):
    member = make_member()
    services.invite(workshop, [member], by=staff)
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == [member.user.email]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message.is_multipart()
    types = [part.get_content_type() for part in message.walk() if not part.is_multipart()]
    assert types == ["text/plain", "text/html", "text/calendar"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "/workshops-rsvp/" in text and "/accept/" in text
    assert "/workshops-rsvp/" in html and "/decline/" in html
    [ics] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert ics.get_param("method") == "REQUEST"
    assert ics.get_filename() == "invitation.ics"
    calendar = Calendar.from_ical(ics.get_content())
    assert calendar["METHOD"] == "REQUEST"
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [workshop.uid]
    assert message["List-Unsubscribe"]
