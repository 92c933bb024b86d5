"""What happens to a question, as verbs: ask, qualify (route, merge, ask for details, decline),
answer (draft, submit, validate, publish), keep (add to the wiki, mark out of date), remind.

Every verb checks who may do it (questions.permissions), changes the rows inside
one transaction with the question row locked, appends its line to the
question's history (`QuestionEvent`) and, where it counts, to the ledger
(members.activity.record) in the same transaction. A refusal is a
`QuestionRefused` (a ValidationError with a translated message): nothing is saved.
Emails go out through background tasks (questions.tasks).
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page

from members import activity
from members.models import Activity
from questions import permissions, workdays
from questions.models import (
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Answer,
    Question,
    QuestionEvent,
    QuestionFollow,
    Service,
)
from wiki import markup, territory

Status = Question.Status
Kind = QuestionEvent.Kind
# Page types a question may be about (app_label, model): those with a discussion.
ASKABLE_PAGE_TYPES = {
    ("wiki", "wikipage"),
    ("wiki", "projectpage"),
    ("wiki", "communepage"),
    ("wiki", "neighbourhoodpage"),
    ("workshops", "workshoppage"),
}
# The service is reminded this many working days before its deadline.
REMIND_BEFORE_DAYS = 2
SIMILAR_LIMIT = 5


class QuestionRefused(ValidationError):
    """Something the rules refuse: nothing was saved."""


def _refuse(message, code):
    raise QuestionRefused(message, code=code)


# Cleaning input --------------------------------------------------------------------------------


def _clean_text(value, *, limit, empty_message, code):
    text = markup.normalise_source(value or "").strip()
    if "\x00" in text:
        _refuse(_("Null characters are not allowed."), "null_characters")
    if not text and empty_message:
        _refuse(empty_message, code)
    if len(text) > limit:
        _refuse(_("Keep it under %(limit)d characters.") % {"limit": limit}, "too_long")
    return text


def clean_title(value):
    title = " ".join(
        _clean_text(value, limit=TITLE_MAX_LENGTH, empty_message=_("Write your question."), code="empty").split()
    )
    return title


def clean_body(value):
    return _clean_text(value, limit=BODY_MAX_LENGTH, empty_message=None, code="empty")


def clean_answer(value):
    return _clean_text(value, limit=ANSWER_MAX_LENGTH, empty_message=_("Write the answer."), code="empty_answer")


LINK_PATTERN = re.compile(r"^https?://\S+$")


def clean_links(value):
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    for line in lines:
        if not LINK_PATTERN.match(line) or len(line) > 500:
            _refuse(_("Each line must be one web address starting with https://."), "bad_link")
    return "\n".join(lines[:20])


# Reading --------------------------------------------------------------------------------------


def _lock(question):
    return Question.objects.select_for_update(of=("self",)).select_related("service").get(pk=question.pk)


def _event(question, kind, actor=None, *, note="", service=None, at=None):
    return QuestionEvent.objects.create(
        question=question,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        service=service or question.service,
        note=note,
        occurred_at=at or timezone.now(),
    )


def askable(page):
    content_type = page.cached_content_type
    return (content_type.app_label, content_type.model) in ASKABLE_PAGE_TYPES


def similar_questions(user, text, *, limit=SIMILAR_LIMIT):
    """Answered questions whose title or published answer shares words with `text`, most shared first.

    Bounded: at most six words of four letters or more (each a LIKE), fifty candidates ranked in Python.
    """
    words = sorted(set(re.findall(r"\w{4,}", (text or "").lower())), key=len, reverse=True)[:6]
    if not words:
        return []
    any_match = Q()
    for word in words:
        any_match |= Q(title__icontains=word) | Q(answers__state=Answer.State.PUBLISHED, answers__body__icontains=word)
    candidates = list(
        permissions.visible(Question.objects.filter(status=Status.ANSWERED), user)
        .filter(any_match)
        .distinct()
        .order_by("-answered_at", "-pk")[:50]
    )
    candidates.sort(key=lambda question: -sum(word in question.title.lower() for word in words))
    return candidates[:limit]


def suggested_services(question):
    """Services covering the question's theme, those covering its commune too (or the whole territory) first."""
    theme_match = Q(themes=question.theme_id) if question.theme_id else Q(pk__in=[])
    commune_match = Q(communes=question.commune_id) | Q(communes__isnull=True)
    return (
        Service.objects.annotate(
            fit=Count("pk", filter=theme_match, distinct=True) * 2 + Count("pk", filter=commune_match, distinct=True)
        )
        .filter(fit__gte=2 if question.theme_id else 1)
        .order_by("-fit", "name")
    )


def published_answer(question):
    return (
        question.answers.filter(state=Answer.State.PUBLISHED).select_related("service", "replaced_by__question").first()
    )


# Asking ----------------------------------------------------------------------------------------


@transaction.atomic
def ask_question(user, page, *, title, body="", theme=None, comment=None, now=None):
    """A verified member asks a question about `page`: a new question waiting for the community manager."""
    reason = permissions.why_cannot_ask(user, page)
    if reason:
        _refuse(reason, "cannot_ask")
    if not askable(page):
        _refuse(_("Questions can be asked about a page, a project, a workshop, a neighbourhood or a commune."), "page")
    title, body = clean_title(title), clean_body(body)
    now = now or timezone.now()
    question = Question.objects.create(
        asker=user,
        page=page,
        commune=territory.commune_of(page),
        theme=theme,
        comment=comment,
        title=title,
        body=body,
        created_at=now,
    )
    _event(question, Kind.ASKED, user, at=now)
    return question


@transaction.atomic
def follow_question(user, question):
    if not permissions.can_ask(user) or not permissions.can_see(user, question):
        _refuse(_("Sign in with a confirmed address to follow a question."), "cannot_follow")
    QuestionFollow.objects.get_or_create(question=question, user=user)


@transaction.atomic
def unfollow_question(user, question):
    QuestionFollow.objects.filter(question=question, user=user).delete()


# Qualifying ------------------------------------------------------------------------------------


def _require_qualifier(user):
    if not permissions.can_qualify(user):
        _refuse(_("Only the community manager can qualify questions."), "not_qualifier")


def _credit(question, now):
    """An accepted question is a contribution of its asker: one ledger line, once."""
    target = activity.describe(question)
    if Activity.objects.filter(kind=Activity.Kind.QUESTION, target=target).exists():
        return
    member = getattr(question.asker, "member", None)
    activity.record(member, Activity.Kind.QUESTION, page=question.page, target=question, at=now)


def _void_credit(question, now, by):
    """A question declined or merged after it was accepted earns nothing: a HIDDEN line concerning its line."""
    target = activity.describe(question)
    line = (
        Activity.objects.filter(kind=Activity.Kind.QUESTION, target=target)
        .exclude(decisions__kind=Activity.Kind.HIDDEN)
        .first()
    )
    if line is not None:
        member = getattr(by, "member", None)
        activity.record(member, Activity.Kind.HIDDEN, page=question.page, target=question, concerns=line, at=now)


@transaction.atomic
def route_question(user, question, service, *, deadline=None, note="", now=None):
    """Accept the question and route it to `service`; its clock starts now (deadline in working days)."""
    _require_qualifier(user)
    question = _lock(question)
    if question.status not in (Status.NEW, Status.ROUTED):
        _refuse(_("Only a new or routed question can be routed."), "status")
    now = now or timezone.now()
    computed = workdays.add_working_days(timezone.localtime(now).date(), service.target_days)
    if deadline is not None and deadline < timezone.localtime(now).date():
        _refuse(_("The deadline cannot be in the past."), "deadline_past")
    first = question.routed_at is None
    question.service = service
    question.status = Status.ROUTED
    if first:
        question.routed_at = now
        question.paused_days = 0
    question.deadline = deadline or computed
    question.reminded_before_at = question.reminded_overdue_at = None
    question.save()
    _event(question, Kind.ROUTED, user, note=note, service=service, at=now)
    _credit(question, now)
    _notify_service(question, "routed")
    return question


@transaction.atomic
def merge_question(user, question, into, *, note="", now=None):
    """The question duplicates `into`: it closes, its asker and followers follow `into`."""
    _require_qualifier(user)
    question = _lock(question)
    if into.pk == question.pk:
        _refuse(_("A question cannot be merged into itself."), "merge_self")
    if not question.is_open:
        _refuse(_("This question is closed already."), "status")
    if into.status == Status.MERGED or not permissions.can_see(question.asker, into):
        _refuse(_("Choose a question that is not merged itself and that the resident can read."), "merge_target")
    now = now or timezone.now()
    question.status = Status.MERGED
    question.merged_into = into
    question.paused_at = None
    question.save()
    QuestionFollow.objects.get_or_create(question=into, user=question.asker)
    for user_id in question.follows.values_list("user_id", flat=True):
        QuestionFollow.objects.get_or_create(question=into, user_id=user_id)
    _event(question, Kind.MERGED, user, note=note, at=now)
    _void_credit(question, now, user)
    _notify_asker(question, "merged")
    return question


@transaction.atomic
def request_details(user, question, *, note, now=None):
    """Ask the resident for details: the clock pauses until they answer."""
    question = _lock(question)
    if not (permissions.can_qualify(user) or permissions.can_answer(user, question)):
        _refuse(_("Only the community manager or the service can ask for details."), "not_allowed")
    if question.status not in (Status.NEW, Status.ROUTED):
        _refuse(_("Details can be asked only of an open question."), "status")
    note = _clean_text(note, limit=2000, empty_message=_("Say what you need to know."), code="empty_note")
    now = now or timezone.now()
    question.status = Status.WAITING
    question.paused_at = now
    question.save()
    _event(question, Kind.DETAILS_REQUESTED, user, note=note, at=now)
    _notify_asker(question, "details")
    return question


@transaction.atomic
def give_details(user, question, *, details, now=None):
    """The asker answers: the question goes back where it was, its deadline moved by the working days paused."""
    question = _lock(question)
    if question.asker_id != getattr(user, "pk", None):
        _refuse(_("Only the resident who asked can add details."), "not_asker")
    if question.status != Status.WAITING:
        _refuse(_("Nobody is waiting for details on this question."), "status")
    details = _clean_text(details, limit=BODY_MAX_LENGTH, empty_message=_("Write the details."), code="empty")
    now = now or timezone.now()
    if question.routed_at is not None:
        paused = workdays.working_days_between(timezone.localtime(question.paused_at), timezone.localtime(now))
        question.paused_days += paused
        question.deadline = workdays.add_working_days(question.deadline, paused)
        question.status = Status.ROUTED
    else:
        question.status = Status.NEW
    question.paused_at = None
    question.body = f"{question.body}\n\n{details}".strip()[:BODY_MAX_LENGTH]
    question.save()
    _event(question, Kind.DETAILS_GIVEN, user, note=details, at=now)
    return question


@transaction.atomic
def decline_question(user, question, *, reason, note="", now=None):
    _require_qualifier(user)
    question = _lock(question)
    if not question.is_open:
        _refuse(_("This question is closed already."), "status")
    if reason not in Question.DeclineReason.values:
        _refuse(_("Choose a reason."), "reason")
    now = now or timezone.now()
    question.status = Status.DECLINED
    question.decline_reason = reason
    question.decline_note = _clean_text(note, limit=2000, empty_message=None, code="note")
    question.paused_at = None
    question.save()
    _event(question, Kind.DECLINED, user, note=question.decline_note, at=now)
    _void_credit(question, now, user)
    _notify_asker(question, "declined")
    return question


@transaction.atomic
def close_question(user, question, *, note="", now=None):
    """Close an answered question (no further answer) or an open one that has no purpose any more."""
    _require_qualifier(user)
    question = _lock(question)
    if question.status in (Status.CLOSED, Status.DECLINED, Status.MERGED):
        _refuse(_("This question is closed already."), "status")
    now = now or timezone.now()
    question.status = Status.CLOSED
    question.paused_at = None
    question.save()
    _event(question, Kind.CLOSED, user, note=note, at=now)
    _notify_asker(question, "closed")
    return question


# Answering -------------------------------------------------------------------------------------


def _require_agent(user, question):
    if not permissions.can_answer(user, question):
        _refuse(_("Only the agents of the service this question is routed to can answer it."), "not_agent")


def _require_answerable(question):
    if question.status != Status.ROUTED:
        _refuse(_("This question is not waiting for an answer: it takes no new answer."), "not_answerable")


def pending_answer(question):
    """The draft or submitted answer of the question, if any."""
    return question.answers.exclude(state=Answer.State.PUBLISHED).select_related("service", "author").first()


@transaction.atomic
def draft_answer(user, question, *, body, links="", now=None):
    """Write or rewrite the pending answer (a draft again, even if it was submitted)."""
    question = _lock(question)
    _require_agent(user, question)
    _require_answerable(question)
    body, links = clean_answer(body), clean_links(links)
    now = now or timezone.now()
    answer = pending_answer(question)
    if answer is None:
        answer = Answer(question=question, created_at=now)
    answer.service = question.service
    answer.body, answer.links, answer.author = body, links, user
    answer.state, answer.submitted_at = Answer.State.DRAFT, None
    answer.save()
    _event(question, Kind.DRAFTED, user, at=now)
    return answer


@transaction.atomic
def submit_answer(user, answer, *, now=None):
    """Submit the draft: published at once, or waiting for a validator where the service asks for it."""
    question = _lock(answer.question)
    answer = Answer.objects.select_for_update(of=("self",)).select_related("service").get(pk=answer.pk)
    _require_agent(user, question)
    _require_answerable(question)
    if answer.state != Answer.State.DRAFT:
        _refuse(_("This answer is not a draft any more."), "state")
    now = now or timezone.now()
    if answer.service.validation_required:
        answer.state, answer.submitted_at = Answer.State.SUBMITTED, now
        answer.save()
        _event(question, Kind.SUBMITTED, user, at=now)
        _notify_service(question, "submitted")
        return answer
    answer.submitted_at = now
    return _publish(question, answer, user, now)


@transaction.atomic
def validate_answer(user, answer, *, now=None):
    """A validator approves a submitted answer, which is published."""
    question = _lock(answer.question)
    answer = Answer.objects.select_for_update(of=("self",)).select_related("service").get(pk=answer.pk)
    if answer.author_id == getattr(user, "pk", None):
        _refuse(_("You wrote this answer: another validator must approve it."), "own_answer")
    if not permissions.can_validate(user, answer):
        _refuse(_("Only a validator of this service can approve its answers."), "not_validator")
    if answer.state != Answer.State.SUBMITTED:
        _refuse(_("This answer is not waiting for approval."), "state")
    _require_answerable(question)
    answer.validator = user
    return _publish(question, answer, user, now or timezone.now())


def _publish(question, answer, user, now):
    answer.state, answer.published_at = Answer.State.PUBLISHED, now
    answer.save()
    question.status = Status.ANSWERED
    question.answered_at = now
    question.paused_at = None
    taken = workdays.working_days_between(timezone.localtime(question.routed_at), timezone.localtime(now))
    question.working_days_taken = max(0, taken - question.paused_days)
    question.save()
    _event(question, Kind.PUBLISHED, user, service=answer.service, at=now)
    _notify_asker(question, "answered")
    return answer


# The answer lives on ---------------------------------------------------------------------------


def _question_url(question):
    from django.urls import reverse

    return reverse("questions:detail", args=[question.pk])


def official_section(answer):
    """The Markdown section added to a wiki page: the service's answer, dated, linking back to the question."""
    heading = _("Official answer from the service %(service)s, %(date)s") % {
        "service": answer.service.name,
        "date": date_format(timezone.localtime(answer.published_at), "DATE_FORMAT"),
    }
    lines = [f"## {heading}", "", f"**{answer.question.title}**", "", answer.body.strip(), ""]
    lines += [f"- <{link}>" for link in answer.link_list()]
    lines += ["", f"[{_('The question and its history')}]({_question_url(answer.question)})", ""]
    return "\n".join(lines)


def faq_title():
    return _("Frequently asked questions")


def _append(user, page, section, summary):
    from wiki import services as wiki

    page = page.specific
    outcome = wiki.edit_page(
        user,
        page,
        base_revision_id=page.latest_revision_id,
        title=page.title,
        body=f"{page.body.rstrip()}\n\n{section}".strip(),
        summary=summary,
    )
    return outcome.page


def _faq_page(user, commune):
    from wiki import services as wiki
    from wiki.models import WikiPage

    existing = WikiPage.objects.child_of(commune).filter(slug=wiki.slug_for(faq_title())).first()
    if existing is not None:
        return existing, False
    intro = _("Answers of the services of the authority to the questions of residents of %(commune)s.") % {
        "commune": commune.title
    }
    return wiki.create_page(user, commune, faq_title(), intro, summary=faq_title()), True


@transaction.atomic
def add_answer_to_wiki(user, answer, *, now=None):
    """Add the official answer to the page the question is about and to its commune's FAQ page, as new revisions.

    Returns the pages changed.
    """
    from wiki.models import MarkdownPage

    if not permissions.can_manage_answers(user):
        _refuse(_("Only staff can add an answer to the wiki."), "not_staff")
    answer = Answer.objects.select_for_update(of=("self",)).select_related("service", "question").get(pk=answer.pk)
    if answer.state != Answer.State.PUBLISHED:
        _refuse(_("Only a published answer can be added to the wiki."), "state")
    if answer.added_to_wiki_at is not None:
        _refuse(_("This answer is in the wiki already."), "already")
    question = answer.question
    section = official_section(answer)
    summary = _("Official answer from the service %(service)s") % {"service": answer.service.name}
    pages = []
    page = Page.objects.get(pk=question.page_id).specific
    if isinstance(page, MarkdownPage):
        pages.append(_append(user, page, section, summary))
    if question.commune_id:
        commune = question.commune
        faq, _created = _faq_page(user, commune)
        pages.append(_append(user, faq, section, summary))
    if not pages:
        _refuse(_("This question is about no wiki page and no commune."), "no_page")
    now = now or timezone.now()
    answer.added_to_wiki_at = now
    answer.save(update_fields=["added_to_wiki_at"])
    _event(
        question, Kind.ADDED_TO_WIKI, user, service=answer.service, at=now, note=", ".join(page.title for page in pages)
    )
    return pages


@transaction.atomic
def mark_out_of_date(user, answer, *, replaced_by=None, note="", now=None):
    """A rule changed: the answer shows it is out of date, and links to the newer answer if there is one."""
    if not permissions.can_manage_answers(user):
        _refuse(_("Only staff can mark an answer out of date."), "not_staff")
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.state != Answer.State.PUBLISHED:
        _refuse(_("Only a published answer can be out of date."), "state")
    if answer.out_of_date:
        _refuse(_("This answer is marked out of date already."), "already")
    if replaced_by is not None and (
        replaced_by.pk == answer.pk or replaced_by.state != Answer.State.PUBLISHED or replaced_by.out_of_date
    ):
        _refuse(_("The newer answer must be another published answer that is up to date."), "replaced_by")
    answer.out_of_date = True
    answer.replaced_by = replaced_by
    answer.save(update_fields=["out_of_date", "replaced_by"])
    _event(answer.question, Kind.OUT_OF_DATE, user, service=answer.service, note=note, at=now or timezone.now())
    return answer


# Reminders -------------------------------------------------------------------------------------


def send_reminders(*, now=None):
    """Email each service before a question's deadline, and once when it is overdue. Returns the count queued.

    Each reminder is claimed with a conditional UPDATE before it is queued, so
    overlapping runs never send it twice.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    soon = workdays.add_working_days(today, REMIND_BEFORE_DAYS)
    routed = Question.objects.filter(status=Status.ROUTED, deadline__isnull=False)
    sent = 0
    for field, kind, due in (
        ("reminded_overdue_at", "overdue", routed.filter(deadline__lt=today, reminded_overdue_at__isnull=True)),
        (
            "reminded_before_at",
            "reminder",
            routed.filter(deadline__gte=today, deadline__lte=soon, reminded_before_at__isnull=True),
        ),
    ):
        for pk in due.values_list("pk", flat=True):
            with transaction.atomic():
                if Question.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now}):
                    question = Question.objects.select_related("service").get(pk=pk)
                    _event(question, Kind.REMINDED, None, note=kind, at=now)
                    _notify_service(question, kind)
                    sent += 1
    return sent


def overdue_q(today=None):
    """Q: a routed question past its deadline."""
    return Q(status=Status.ROUTED, deadline__lt=today or workdays.today())


# Notifications ---------------------------------------------------------------------------------


def _notify_asker(question, kind):
    from questions import tasks

    tasks.notify_asker.enqueue(question.pk, kind)


def _notify_service(question, kind):
    from questions import tasks

    tasks.notify_service.enqueue(question.pk, kind)
