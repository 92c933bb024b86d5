"""Background tasks of the members app: the statements of reasons of moderation decisions go out here."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from civic import mail
from members.models import ModerationDecision

logger = logging.getLogger(__name__)


def language_for(member):
    """The member's language if their profile stores a supported one, else the site's (French)."""
    chosen = getattr(member, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def absolute(url):
    if not url:
        return ""
    return settings.SITE_URL + url if url.startswith("/") else url


def build_statement(decision):
    """The email telling `decision.member` what was decided, why, what happens next and how to contest it."""
    from members.services import APPEALABLE

    member = decision.member
    context = {
        "member": member,
        "decision": decision,
        "item_url": absolute(decision.target_url),
        "profile_url": absolute(reverse("members:profile")) + "#my-moderation",
        "appeal_url": absolute(reverse("members:appeal", args=[decision.pk])) if decision.action in APPEALABLE else "",
    }
    subject = gettext("[Quartiers] A moderation decision about you: %(action)s") % {
        "action": decision.get_action_display()
    }
    return EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("members/email/statement.txt", context),
        to=[member.user.email],
    )


@task()
def send_statement(decision_id):
    """Send the statement of reasons of one decision to its member (in their language)."""
    decision = (
        ModerationDecision.objects.select_related("member__user").filter(pk=decision_id, member__isnull=False).first()
    )
    if decision is None or not decision.statement:
        return
    user = decision.member.user
    if not user.is_active or not user.email:
        logger.info("statement of decision #%s not sent: no active account with an email", decision_id)
        return
    with translation.override(language_for(decision.member)):
        mail.send(build_statement(decision), kind="members: statement of reasons")
