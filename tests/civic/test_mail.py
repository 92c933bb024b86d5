"""civic.mail: one cleaner for every header value, one sender that records failures for staff."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from civic import mail
from civic.models import MailFailure
from wiki import follows
from wiki.models import WikiPage


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def failing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Atelier\nvélo", "Atelier vélo"),
        ("Atelier\r\n\r\nvélo", "Atelier vélo"),
        ("Atelier\x00vélo\x1b[31m", "Atelier vélo [31m"),
        ("  Atelier\t\tvélo  ", "Atelier vélo"),
        ("Atelier\u2028vélo\u2029", "Atelier vélo"),
        ("Atelier \u202evélo", "Atelier vélo"),
        ("Café ☕ & co", "Café ☕ & co"),
        (None, ""),
    ],
)
def test_header_text_is_one_clean_line(value, expected):
    assert mail.header_text(value) == expected


def test_header_text_is_bounded():
    long = "mot " * 200
    cleaned = mail.header_text(long)
    assert len(cleaned) == mail.HEADER_MAX_LENGTH and cleaned.endswith("…")
    assert len(mail.header_text(long, max_length=20)) == 20


def test_display_names_are_cleaned_and_quoted():
    assert mail.mailbox("Nadia\r\nBcc: victim@example.fr", "nadia@example.fr") == (
        '"Nadia Bcc: victim@example.fr" <nadia@example.fr>'
    )
    assert mail.mailbox("", "nadia@example.fr") == "nadia@example.fr"
    assert mail.clean_address("Mairie\nde Lormont <contact@lormont.fr>") == "Mairie de Lormont <contact@lormont.fr>"
    assert mail.clean_address("plain@example.fr") == "plain@example.fr"


@pytest.mark.django_db
def test_send_cleans_every_header_and_sends():
    message = EmailMessage(
        subject="Sujet\navec\rsauts",
        body="Corps\nsur plusieurs lignes",
        from_email="Service\nQuartiers <noreply@example.fr>",
        to=["Nadia\n <nadia@example.fr>"],
        headers={"X-Title": "a\nb"},
    )
    assert mail.send(message, kind="test") is None
    [sent] = outbox.outbox
    headers = sent.message()
    assert headers["Subject"] == "Sujet avec sauts"
    assert headers["From"] == "Service Quartiers <noreply@example.fr>"
    assert headers["X-Title"] == "a b"
    assert sent.body == "Corps\nsur plusieurs lignes"  # the body keeps its lines
    assert not MailFailure.objects.exists()


@pytest.mark.django_db
def test_a_failed_send_is_recorded_with_its_reason(failing_mail, settings):
    old = MailFailure.objects.create(kind="old", recipients="a@example.fr", subject="s", error="e")
    MailFailure.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.MAIL_FAILURE_DAYS + 1)
    )
    failure = mail.send(EmailMessage(subject="Bonjour", to=["nadia@example.fr"]), kind="test: hello")
    assert failure.kind == "test: hello"
    assert failure.recipients == "nadia@example.fr"
    assert failure.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    # Kept MAIL_FAILURE_DAYS: older ones go when a new one comes.
    assert list(MailFailure.objects.all()) == [failure]

    with pytest.raises(smtplib.SMTPServerDisconnected):
        mail.send(EmailMessage(subject="Encore", to=["karim@example.fr"]), kind="test", fail_silently=False)
    assert MailFailure.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_digest_is_recorded_and_retried(failing_mail, settings, territory, resident, make_user):
    from tests.wiki.conftest import edit
    from wiki import services

    page = services.create_page(resident, territory["genicart"], "Le marché", "Le samedi matin.", "", facts={})
    other = make_user("karim@example.fr", pseudonym="Karim")
    edit(page, other, "Nouveau texte.", summary="Modif")
    follows.send_digests()
    [failure] = MailFailure.objects.all()
    assert failure.kind == "wiki: follow digest" and failure.recipients == resident.email
    assert "Le marché" in failure.subject and "Connection unexpectedly closed" in failure.error
    assert len(follows.pending_digests()) == 1  # given back for the next run

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert follows.send_digests() == 1
    assert [m.to for m in outbox.outbox] == [[resident.email]]


@pytest.mark.django_db
def test_a_failed_account_email_is_recorded(failing_mail, client, resident):
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.post(reverse("account_reset_password"), {"email": resident.email})
    [failure] = MailFailure.objects.all()
    assert failure.kind == "account: password_reset_key"
    assert failure.recipients == resident.email


def test_titles_refuse_control_characters():
    mail.validate_one_line("Le marché du samedi ☕")
    for bad in ("a\nb", "a\rb", "a\x00b", "a\tb", "a\u2028b"):
        with pytest.raises(ValidationError):
            mail.validate_one_line(bad)


@pytest.mark.django_db
def test_every_page_type_refuses_a_title_with_a_line_break(territory):
    page = WikiPage(title="Le marché\nBcc: x@example.fr", slug="le-marche")
    with pytest.raises(ValidationError) as error:
        territory["genicart"].add_child(instance=page)
    assert "title" in error.value.message_dict
