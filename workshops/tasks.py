"""Background tasks: every workshop email goes out here, never in a request.

They go out through civic.mail.send (headers cleaned, failures recorded);
a failure is also written on the registration (`email_error`) so staff see it
and can resend from the check-in page.
"""

import logging
from datetime import timedelta
from email.message import MIMEPart

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from civic import mail, site_url
from workshops import calendar
from workshops.models import Registration

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "workshops.withdraw-invitations"

# kind -> (template name, ics METHOD or None, carries RSVP links)
KINDS = {
    "invitation": ("invitation", "REQUEST", True),
    "confirmed": ("confirmed", "REQUEST", True),
    "promoted": ("promoted", "REQUEST", True),
    "updated": ("updated", "REQUEST", True),
    "cancelled": ("cancelled", "CANCEL", False),
    "reminder": ("reminder", "REQUEST", True),
}


def absolute(path):
    return site_url.absolute_url(path)


def withdraw_url(member):
    return absolute(reverse("workshops:withdraw-consent", args=[signing.dumps(member.pk, salt=UNSUBSCRIBE_SALT)]))


def member_pk_from_withdraw_token(token):
    """The member a "stop the invitations" link was made for.

    Raises signing.SignatureExpired once the link is older than
    WITHDRAW_LINK_MAX_AGE_DAYS (signing.dumps stamps the time), and
    signing.BadSignature when it is forged or mangled.
    """
    return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=timedelta(days=settings.WITHDRAW_LINK_MAX_AGE_DAYS))


def subject_for(kind, workshop):
    subjects = {
        "invitation": _("Invitation: %(title)s"),
        "confirmed": _("Registration confirmed: %(title)s"),
        "promoted": _("A seat is free for you: %(title)s"),
        "updated": _("Updated: %(title)s"),
        "cancelled": _("Cancelled: %(title)s"),
        "reminder": _("Reminder: %(title)s"),
    }
    return "[Quartiers] " + subjects[kind] % {"title": mail.header_text(workshop.title)}


def ics_part(content, method):
    part = MIMEPart()
    part.set_content(
        content,
        subtype="calendar",
        params={"method": method},
        disposition="attachment",
        filename="cancel.ics" if method == "CANCEL" else "invitation.ics",
    )
    return part


def build_message(registration, kind):
    template, method, with_links = KINDS[kind]
    workshop = registration.workshop
    member = registration.member
    context = {
        "registration": registration,
        "workshop": workshop,
        "member": member,
        "page_url": calendar.page_url(workshop),
        "withdraw_url": withdraw_url(member),
        "kind": kind,
    }
    if with_links:
        token = registration.issue_token()
        context["accept_url"] = absolute(reverse("workshops:rsvp-accept", args=[token]))
        context["decline_url"] = absolute(reverse("workshops:rsvp-decline", args=[token]))
    message = EmailMultiAlternatives(
        subject=subject_for(kind, workshop),
        body=render_to_string(f"workshops/email/{template}.txt", context),
        to=[member.user.email],
        headers={"List-Unsubscribe": f"<{context['withdraw_url']}>"},
    )
    message.attach_alternative(render_to_string(f"workshops/email/{template}.html", context), "text/html")
    if method:
        message.attach(ics_part(calendar.invitation(registration, method).decode(), method))
    if kind != "cancelled" and registration.status in Registration.SEAT_TAKING:
        image = MIMEPart()
        image.set_content(
            qr_png(registration.code),
            maintype="image",
            subtype="png",
            disposition="attachment",
            filename="registration-code.png",
        )
        message.attach(image)
    return message


def qr_png(code):
    """The registration code as a QR code (PNG), scanned or read aloud at the door."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def deliver(registration_id, kind):
    registration = Registration.objects.select_related("workshop", "member__user").filter(pk=registration_id).first()
    if registration is None:
        return False
    # Emails speak the site's language (French by default), whatever the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            message = build_message(registration, kind)
        except Exception as error:  # noqa: BLE001 - a message that cannot be built is a failure to show too
            logger.exception("workshop email %s to registration %s could not be built", kind, registration_id)
            failure = f"{type(error).__name__}: {error}"
        else:
            failure = mail.send(message, kind=f"workshops: {kind}")
            failure = failure and failure.error
    if failure:
        # Shown on the check-in page, where staff can resend; civic.mail lists it under "Failed emails" too.
        Registration.objects.filter(pk=registration_id).update(email_error=f"{kind}: {failure}"[:1000])
        return False
    fields = {"email_sent_at": timezone.now(), "email_error": ""}
    if kind == "reminder":
        fields["reminder_sent_at"] = fields["email_sent_at"]
    Registration.objects.filter(pk=registration_id).update(**fields)
    return True


@task()
def send_invitation(registration_id):
    return deliver(registration_id, "invitation")


@task()
def send_notice(registration_id, kind):
    return deliver(registration_id, kind)
