"""django-allauth speaks Quartiers: the brand's site name, the member's pseudonym, the shared email layout."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Site

from civic.models import BrandSettings
from tests.members.test_signup import signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def branded(territory):
    settings = BrandSettings.for_site(Site.objects.get(is_default_site=True))
    settings.site_name = "Quartiers Rive droite"
    settings.save()
    return settings


def html_of(message):
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_signup_confirmation_names_the_site_and_greets_by_pseudonym(client, territory, branded):
    client.post(reverse("account_signup"), signup_data(territory))
    (message,) = mail.outbox
    assert message.subject.startswith("[Quartiers Rive droite] ")
    assert message.from_email == "Quartiers Rive droite <noreply@quartiers.localhost>"
    body = message.body
    assert body.startswith("Bonjour Amina de Génicart,")
    assert "Amina de Génicart" in body
    assert "testserver" not in body.split("http://testserver/accounts/")[0]  # the host is not the site's name
    assert "amina@example.fr" not in body  # never the internal username (the address)
    assert "Quartiers Rive droite · http://" in body
    assert "cette adresse a été utilisée sur Quartiers Rive droite" in body
    html = html_of(message)
    assert '<html lang="fr">' in html
    assert "Quartiers Rive droite</div>" in html
    assert '<a href="http://testserver/accounts/confirm-email/' in html


def test_password_reset_greets_by_pseudonym_with_the_default_name(client, resident):
    client.post(reverse("account_reset_password"), {"email": resident.email})
    (message,) = mail.outbox
    assert message.subject.startswith("[Quartiers] ")
    assert message.body.startswith("Bonjour Nadia,")
    assert resident.username not in message.body
    assert "Quartiers · " in message.body
    assert "text/html" in [mimetype for _content, mimetype in message.alternatives]


def test_unknown_address_gets_a_greeting_without_a_name(client, territory, branded):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.fr"})
    if not mail.outbox:  # allauth may be set to stay silent about unknown addresses
        pytest.skip("no email sent to unknown addresses")
    (message,) = mail.outbox
    assert message.body.startswith("Bonjour,")
    assert message.subject.startswith("[Quartiers Rive droite] ")


def test_signed_in_message_names_the_member_by_pseudonym(client, resident):
    response = client.post(
        reverse("account_login"),
        {"login": resident.email, "password": "correct-horse-battery-staple"},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any("Nadia" in message for message in messages), messages
    assert not any(resident.username in message for message in messages)


def test_english_members_get_english_account_emails(client, territory):
    client.cookies["django_language"] = "en"
    client.post(reverse("account_signup"), signup_data(territory))
    (message,) = mail.outbox
    assert message.body.startswith("Hello Amina de Génicart,")
    assert "You receive this email because this address was used on Quartiers." in message.body


def test_workshop_and_follow_emails_share_the_layout(branded):
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    member = SimpleNamespace(pseudonym="Nadia")
    workshop = SimpleNamespace(
        title="Atelier du parc", starts_at=timezone.now(), ends_at=timezone.now(), venue_name="Salle", address="Rue"
    )
    contexts = {
        "workshops/email/invitation": {"member": member, "workshop": workshop, "withdraw_url": "http://x/w/"},
        "wiki/email/digest": {"member": member, "entries": [], "manage_url": "http://x/m/", "unfollow_all_url": "/u/"},
    }
    for template, context in contexts.items():
        with translation.override("fr"):  # as the workshop and digest tasks do
            html = render_to_string(f"{template}.html", context)
            text = render_to_string(f"{template}.txt", context)
        assert "Quartiers Rive droite</div>" in html, template
        assert "<p>Bonjour Nadia,</p>" in html, template
        assert text.startswith("Bonjour Nadia,"), template
        assert text.rstrip().endswith("Quartiers Rive droite · http://127.0.0.1:8000"), template
