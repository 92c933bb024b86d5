"""Background tasks: every email about a question goes out here, never in a request (through civic.mail)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from civic import mail
from questions.models import Question

logger = logging.getLogger(__name__)

ASKER_SUBJECTS = {
    "answered": lambda: _("Your question has an answer: %(title)s"),
    "details": lambda: _("Details are needed on your question: %(title)s"),
    "declined": lambda: _("Your question was closed: %(title)s"),
    "merged": lambda: _("Your question was merged: %(title)s"),
    "closed": lambda: _("Your question was closed: %(title)s"),
}
SERVICE_SUBJECTS = {
    "routed": lambda: _("New question for your service: %(title)s"),
    "submitted": lambda: _("An answer waits for approval: %(title)s"),
    "reminder": lambda: _("Deadline soon: %(title)s"),
    "overdue": lambda: _("Overdue: %(title)s"),
}


def question_url(question):
    return settings.SITE_URL + reverse("questions:detail", args=[question.pk])


def _message(subject, template, context, to):
    message = EmailMultiAlternatives(
        subject="[Quartiers] " + subject,
        body=render_to_string(f"questions/email/{template}.txt", context),
        to=to,
    )
    return message


def _question(question_id):
    return Question.objects.select_related("asker", "service", "merged_into").filter(pk=question_id).first()


def _latest_note(question, kind):
    """What the town hall asked (details) or said (closed), from the question's history."""
    from questions.models import QuestionEvent

    kinds = {"details": QuestionEvent.Kind.DETAILS_REQUESTED, "closed": QuestionEvent.Kind.CLOSED}
    if kind not in kinds:
        return ""
    event = question.events.filter(kind=kinds[kind]).order_by("-occurred_at", "-pk").first()
    return event.note if event else ""


@task()
def notify_asker(question_id, kind):
    """Tell the asker (and the followers, when it is answered) what happened to the question."""
    question = _question(question_id)
    if question is None:
        return 0
    recipients = [question.asker.email] if question.asker.is_active and question.asker.email else []
    if kind in ("answered", "closed"):
        recipients += list(
            question.follows.filter(user__is_active=True)
            .exclude(user=question.asker)
            .values_list("user__email", flat=True)
        )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for address in dict.fromkeys(filter(None, recipients)):
            context = {
                "question": question,
                "kind": kind,
                "url": question_url(question),
                "note": _latest_note(question, kind),
            }
            if question.merged_into_id:
                context["merged_url"] = question_url(question.merged_into)
            subject = ASKER_SUBJECTS[kind]() % {"title": mail.header_text(question.title, 120)}
            if mail.send(_message(subject, "asker", context, [address]), kind=f"questions: {kind}") is None:
                sent += 1
    return sent


@task()
def notify_service(question_id, kind):
    """Tell the service (its contact address) about a new question, an answer to approve, a deadline."""
    question = _question(question_id)
    if question is None or question.service is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"question": question, "kind": kind, "url": question_url(question), "service": question.service}
        subject = SERVICE_SUBJECTS[kind]() % {"title": mail.header_text(question.title, 120)}
        failure = mail.send(
            _message(subject, "service", context, [question.service.contact_email]), kind=f"questions: {kind}"
        )
    return int(failure is None)
