"""Absolute links follow SITE_URL, and SITE_URL follows the demo's PORT; the console prints emails decoded."""

from io import StringIO

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command

from civic.env import site_url_from_env
from civic.mail import ConsoleBackend
from civic.site_url import absolute_url


def test_site_url_follows_port():
    assert site_url_from_env({}) == "http://127.0.0.1:8000"
    assert site_url_from_env({"PORT": "8101"}) == "http://127.0.0.1:8101"
    assert site_url_from_env({"PORT": "8101", "SITE_URL": "https://quartiers.bordeaux.fr/"}) == (
        "https://quartiers.bordeaux.fr"
    )


def test_absolute_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    assert absolute_url("/workshops/") == "http://127.0.0.1:8101/workshops/"
    assert absolute_url("") == "http://127.0.0.1:8101/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


@pytest.mark.django_db
def test_the_demo_prints_its_port(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "http://127.0.0.1:8101/admin/" in out.getvalue()
    assert ":8000" not in out.getvalue()


def test_the_console_prints_emails_decoded():
    link = "http://127.0.0.1:8101/workshops-rsvp/" + "a" * 90 + "/accept/"
    message = EmailMultiAlternatives(
        "Atelier à Génicart", f"Bonjour Léa,\n\n{link}\n", "q@example.fr", ["léa@example.fr"]
    )
    message.attach_alternative("<p>Bonjour</p>", "text/html")
    message.attach("atelier.ics", "BEGIN:VCALENDAR", "text/calendar")
    raw = message.message().as_string()
    assert link not in raw  # what Django's console printed: cut and encoded

    stream = StringIO()
    ConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert "Subject: Atelier à Génicart" in printed
    assert "Bonjour Léa," in printed and f"\n{link}\n" in printed
    assert "[text/html, text/calendar (atelier.ics)]" in printed
