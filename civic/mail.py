"""Every email Quartiers sends goes out through `send`.

Two guarantees, for every sender (workshop emails, follow digests, allauth's
account emails):

- a value that reaches a header (a subject made from a workshop or page title,
  a display name made from a pseudonym or a service name) goes through
  `header_text`: no control character or line break, one space between words,
  a bounded length. A title typed with a line break can no longer make every
  email of its workshop fail (Django refuses headers with newlines).
- French non-breaking spaces (civic.typography) survive the header cleaning: a
  subject reads "Atelier : demain" with the space that does not break.
- a send that fails is recorded as a `civic.models.MailFailure` with its
  reason, listed for staff in the Wagtail admin ("Failed emails"), besides the
  log line; callers decide what else to do (retry, mark a registration).
"""

import email
import email.policy
import logging
import re
import unicodedata
from datetime import timedelta
from email.headerregistry import Address
from email.utils import getaddresses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail.backends import console
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

HEADER_MAX_LENGTH = 200
# Categories replaced by a space: controls (\x00, \t, \n, \r, DEL, C1), line and
# paragraph separators, surrogates, unassigned and private-use code points.
UNSAFE_CATEGORIES = {"Cc", "Cs", "Cn", "Co", "Zl", "Zp"}
# Direction overrides make a subject read differently from what it says.
BIDI_CONTROLS = {chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F]}
ELLIPSIS = "…"
# Runs of whitespace a header folds into one space: all but the non-breaking spaces of French typography.
BREAKABLE_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def _unsafe(char):
    return unicodedata.category(char) in UNSAFE_CATEGORIES or char in BIDI_CONTROLS


def validate_one_line(value):
    """Refuse line breaks, tabs and other control characters (page and workshop titles: they become subjects)."""
    if any(_unsafe(char) for char in str(value)):
        raise ValidationError(
            _("Write the title on one line, without line breaks, tabs or other control characters."),
            code="control_characters",
        )


def header_text(value, max_length=HEADER_MAX_LENGTH):
    """`value` made safe for an email header: one line, printable, at most `max_length` characters."""
    text = "".join(" " if _unsafe(char) else char for char in str(value or ""))
    text = " ".join(BREAKABLE_SPACES.split(text.strip()))  # keeps French non-breaking spaces
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + ELLIPSIS
    return text


def mailbox(name, address):
    """`Name <address>` with the display name cleaned (a pseudonym, a service name), quoted as needed."""
    name = header_text(name, max_length=78)
    address = header_text(address, max_length=254)
    if not name:
        return address
    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError):
        return address


def clean_address(value):
    """One To/Cc/From value with its display name cleaned; a bare address stays as it is."""
    value = header_text(value, max_length=998)
    if "<" not in value:
        return value
    pairs = getaddresses([value])
    if len(pairs) == 1 and pairs[0][1]:
        return mailbox(*pairs[0])
    return value


def clean_headers(message):
    """Clean every header value a message carries: subject, sender, recipients, extra headers."""
    message.subject = header_text(message.subject)
    message.from_email = clean_address(message.from_email)
    for field in ("to", "cc", "bcc", "reply_to"):
        setattr(message, field, [clean_address(value) for value in getattr(message, field)])
    message.extra_headers = {
        header_text(name, max_length=76): header_text(value, max_length=998)
        for name, value in message.extra_headers.items()
    }
    return message


def send(message, *, kind, fail_silently=True):
    """Send an EmailMessage with clean headers; None when sent, else the recorded MailFailure.

    `kind` names what the email is ("workshops: invitation"...), for staff.
    With fail_silently=False the error is raised again after being recorded.
    """
    try:
        clean_headers(message).send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server or of the message
        logger.warning("email %s to %s failed: %s", kind, ", ".join(message.to), error)
        failure = record_failure(message, kind=kind, error=error)
        if not fail_silently:
            raise
        return failure
    return None


def record_failure(message, *, kind, error):
    from civic.models import MailFailure

    MailFailure.objects.filter(created_at__lt=timezone.now() - timedelta(days=settings.MAIL_FAILURE_DAYS)).delete()
    return MailFailure.objects.create(
        kind=header_text(kind, max_length=100),
        recipients=", ".join([*message.to, *message.cc, *message.bcc])[:2000],
        subject=header_text(message.subject, max_length=255),
        error=f"{type(error).__name__}: {error}"[:2000],
    )


class ConsoleBackend(console.EmailBackend):
    """Development mail: each email printed as a person reads it, not as SMTP carries it.

    Django's console backend prints the raw MIME message: quoted-printable or base64
    text where links are cut by "=" at line ends and accents are "=C3=A9". This one
    prints the headers decoded, then each text part decoded, and names the other parts
    (HTML, calendar files), so the links of a demo email can be clicked.
    """

    def write_message(self, message):
        self.stream.write(format_for_console(message.message()))
        self.stream.write("\n" + "-" * 79 + "\n")


def format_for_console(mime):
    """A MIME message as readable text: headers decoded, text/plain parts decoded, other parts named."""
    parsed = email.message_from_bytes(mime.as_bytes(), policy=email.policy.default)
    lines = [f"{name}: {parsed[name]}" for name in ("From", "To", "Cc", "Reply-To", "Subject") if parsed[name]]
    others = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = part.get_filename()
        if content_type == "text/plain" and not filename:
            lines += ["", part.get_content().rstrip("\n")]
        else:
            others.append(f"{content_type}{f' ({filename})' if filename else ''}")
    if others:
        lines += ["", "[" + ", ".join(others) + "]"]
    return "\n".join(lines) + "\n"
