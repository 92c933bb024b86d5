"""Questions to the town hall: thin views over questions.services; every refusal is a form error, nothing lost."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from civic.params import parse_int
from members import access
from questions import forms, permissions, record, services, workdays
from questions.models import Answer, Question, QuestionEvent, Service
from wiki import territory
from wiki.models import Theme

PER_PAGE = 20


def _question(request, question_id):
    question = get_object_or_404(
        Question.objects.select_related("page", "service", "commune", "theme", "asker__member", "merged_into"),
        pk=question_id,
    )
    if not permissions.can_see(request.user, question):
        raise Http404
    return question


def _filtered(request, values):
    questions = permissions.visible(Question.objects.all(), request.user)
    commune = territory.commune_from(values.get("commune"), request.user) if values.get("commune") else None
    if commune is not None:
        questions = questions.filter(commune=commune)
    theme = Theme.objects.filter(slug=values["theme"]).first() if values.get("theme") else None
    if theme is not None:
        questions = questions.filter(theme=theme)
    if values.get("service"):
        questions = questions.filter(service_id=values["service"])
    if values.get("status") == "open":
        questions = questions.filter(status__in=Question.OPEN_STATUSES)
    elif values.get("status") == "answered":
        questions = questions.filter(status=Question.Status.ANSWERED)
    if values.get("q"):
        words = values["q"].split()[:5]
        for word in words:
            questions = questions.filter(
                Q(title__icontains=word)
                | Q(body__icontains=word)
                | Q(pk__in=Answer.objects.filter(state=Answer.State.PUBLISHED, body__icontains=word).values("question"))
            )
    return questions, commune, theme


def index(request):
    """Open and answered questions, filtered by commune, theme, service and status, with search."""
    filters = forms.FilterForm(request.GET or None)
    values = filters.values() if request.GET else {}
    questions, commune, theme = _filtered(request, values)
    paginator = Paginator(
        questions.select_related("service", "commune", "theme", "asker__member").order_by("-created_at", "-pk"),
        PER_PAGE,
    )
    page_obj = paginator.get_page(parse_int(request.GET.get("page"), min_value=1, default=1))
    return render(
        request,
        "questions/index.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "communes": territory.communes(user=request.user),
            "themes": Theme.objects.all(),
            "services": Service.objects.all(),
            "values": values,
            "commune": commune,
            "theme": theme,
            "can_ask": permissions.can_ask(request.user),
            "can_qualify": permissions.can_qualify(request.user),
            "agent_services": permissions.services_of(request.user, Service.objects.all()),
        },
    )


@require_http_methods(["GET", "POST"])
def ask(request):
    """Ask a question, about a page (?page=<id>) or a commune; similar answered questions are shown first."""
    page = None
    page_id = request.POST.get("page") or request.GET.get("page")
    if page_id:
        pk = parse_int(page_id, min_value=1)
        page = Page.objects.filter(pk=pk).select_related("content_type").first() if pk else None
        if page is None or not permissions.can_see_page(request.user, page) or not services.askable(page):
            return render(request, "questions/ask.html", {"missing_page": True}, status=404)
    why_not = permissions.why_cannot_ask(request.user)
    communes = territory.communes(user=request.user)
    form = forms.AskForm(
        request.POST or None,
        user=request.user,
        page=page,
        communes=communes,
        initial={"theme": request.GET.get("theme")} if request.method == "GET" else None,
    )
    similar, status = [], 200
    if request.method == "POST" and why_not is None:
        if form.is_valid():
            data = form.cleaned_data
            similar = services.similar_questions(request.user, data["title"] + " " + data["body"])
            if similar and not data["confirmed"]:
                form.data = form.data.copy()
                form.data["confirmed"] = "1"
            else:
                try:
                    question = services.ask_question(
                        request.user,
                        page or data["commune"],
                        title=data["title"],
                        body=data["body"],
                        theme=data["theme"],
                    )
                except services.QuestionRefused as refusal:
                    form.refuse(refusal)
                    status = 400
                else:
                    messages.success(
                        request, _("Your question is sent. You will be told by email when it is answered.")
                    )
                    return redirect("questions:detail", question.pk)
        else:
            status = 400
    return render(
        request,
        "questions/ask.html",
        {"form": form, "page": page, "similar": similar, "why_not": why_not},
        status=status,
    )


def _actions(request, question):
    """The forms the user may use on this question (only those)."""
    user = request.user
    context = {}
    if question.asker_id == getattr(user, "pk", None) and question.status == Question.Status.WAITING:
        context["details_form"] = forms.DetailsForm()
    if permissions.can_qualify(user):
        if question.status in (Question.Status.NEW, Question.Status.ROUTED):
            suggested = list(services.suggested_services(question)[:3])
            context["route_form"] = forms.RouteForm(initial={"service": suggested[0].pk if suggested else None})
            context["suggested"] = suggested
        if question.is_open:
            context["merge_form"] = forms.MergeForm()
            context["decline_form"] = forms.DeclineForm()
        if question.status not in (Question.Status.CLOSED, Question.Status.DECLINED, Question.Status.MERGED):
            context["close_form"] = forms.CloseForm()
    if question.status in (Question.Status.NEW, Question.Status.ROUTED) and (
        permissions.can_qualify(user) or permissions.can_answer(user, question)
    ):
        context["request_form"] = forms.DetailsRequestForm()
    if question.status == Question.Status.ROUTED and permissions.can_answer(user, question):
        pending = services.pending_answer(question)
        context["pending"] = pending
        context["answer_form"] = forms.AnswerForm(
            initial={"body": pending.body, "links": pending.links} if pending else None
        )
    if question.status == Question.Status.ROUTED and not context.get("answer_form"):
        pending = services.pending_answer(question)
        if pending and pending.state == Answer.State.SUBMITTED and permissions.can_validate(user, pending):
            context["pending"] = pending
    if context.get("pending") and context["pending"].state == Answer.State.SUBMITTED:
        context["can_validate"] = permissions.can_validate(user, context["pending"])
    if permissions.can_manage_answers(user):
        context["out_of_date_form"] = forms.OutOfDateForm()
    return context


def _detail(request, question, status=200, **forms_in_error):
    answer = services.published_answer(question)
    events = question.events.select_related("actor__member", "service")
    if not (permissions.can_qualify(request.user) or permissions.can_answer(request.user, question)):
        events = events.filter(kind__in=QuestionEvent.PUBLIC_KINDS)
    user = request.user
    following = access.is_signed_in(user) and question.follows.filter(user=user).exists()
    context = {
        "question": question,
        "answer": answer,
        "events": events,
        "following": following,
        "can_follow": permissions.can_ask(user) and question.asker_id != user.pk,
        "is_asker": question.asker_id == getattr(user, "pk", None),
        "overdue": question.status == Question.Status.ROUTED
        and question.deadline
        and question.deadline < workdays.today(),
        **_actions(request, question),
        **forms_in_error,
    }
    return render(request, "questions/detail.html", context, status=status)


def detail(request, question_id):
    """A question: its status, its history, the highlighted official answer; and the forms of whoever may act."""
    return _detail(request, _question(request, question_id))


def _act(request, question_id, form_class, form_name, action, *, success):
    """A POST action on a question: validate the form, call one service, or show the page with the form's errors."""
    question = _question(request, question_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(question, form.cleaned_data)
        except services.QuestionRefused as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, success)
            return redirect("questions:detail", question.pk)
    return _detail(request, question, status=400, **{form_name: form})


@require_POST
def route(request, question_id):
    return _act(
        request,
        question_id,
        forms.RouteForm,
        "route_form",
        lambda q, d: services.route_question(request.user, q, d["service"], deadline=d["deadline"], note=d["note"]),
        success=_("The question is routed."),
    )


@require_POST
def merge(request, question_id):
    return _act(
        request,
        question_id,
        forms.MergeForm,
        "merge_form",
        lambda q, d: services.merge_question(request.user, q, d["into"], note=d["note"]),
        success=_("The question is merged."),
    )


@require_POST
def request_details(request, question_id):
    return _act(
        request,
        question_id,
        forms.DetailsRequestForm,
        "request_form",
        lambda q, d: services.request_details(request.user, q, note=d["note"]),
        success=_("The resident is asked for details; the clock is paused."),
    )


@require_POST
def give_details(request, question_id):
    return _act(
        request,
        question_id,
        forms.DetailsForm,
        "details_form",
        lambda q, d: services.give_details(request.user, q, details=d["details"]),
        success=_("Thank you: your details are added."),
    )


@require_POST
def decline(request, question_id):
    return _act(
        request,
        question_id,
        forms.DeclineForm,
        "decline_form",
        lambda q, d: services.decline_question(request.user, q, reason=d["reason"], note=d["note"]),
        success=_("The question is declined."),
    )


@require_POST
def close(request, question_id):
    return _act(
        request,
        question_id,
        forms.CloseForm,
        "close_form",
        lambda q, d: services.close_question(request.user, q, note=d["note"]),
        success=_("The question is closed."),
    )


@require_POST
def answer(request, question_id):
    """Save the draft; with "submit", submit it too (published at once unless the service needs approval)."""
    submit = "submit" in request.POST

    def act(question, data):
        draft = services.draft_answer(request.user, question, body=data["body"], links=data["links"])
        if submit:
            services.submit_answer(request.user, draft)

    return _act(
        request,
        question_id,
        forms.AnswerForm,
        "answer_form",
        act,
        success=_("The answer is submitted.") if submit else _("The draft is saved."),
    )


def _answer_of(question, state):
    found = question.answers.filter(state=state).select_related("service", "question").first()
    if found is None:
        raise services.QuestionRefused(_("There is no such answer on this question."), code="no_answer")
    return found


@require_POST
def validate(request, question_id):
    return _act(
        request,
        question_id,
        forms.ConfirmForm,
        "validate_form",
        lambda q, d: services.validate_answer(request.user, _answer_of(q, Answer.State.SUBMITTED)),
        success=_("The answer is approved and published."),
    )


@require_POST
def add_to_wiki(request, question_id):
    return _act(
        request,
        question_id,
        forms.ConfirmForm,
        "wiki_form",
        lambda q, d: services.add_answer_to_wiki(request.user, _answer_of(q, Answer.State.PUBLISHED)),
        success=_("The answer is added to the wiki, as a new version of the pages."),
    )


@require_POST
def out_of_date(request, question_id):
    return _act(
        request,
        question_id,
        forms.OutOfDateForm,
        "out_of_date_form",
        lambda q, d: services.mark_out_of_date(
            request.user, _answer_of(q, Answer.State.PUBLISHED), replaced_by=d["replaced_by"], note=d["note"]
        ),
        success=_("The answer is marked out of date."),
    )


@require_POST
def follow(request, question_id):
    return _act(
        request,
        question_id,
        forms.ConfirmForm,
        "follow_form",
        lambda q, d: services.follow_question(request.user, q),
        success=_("You follow this question: you will be told by email when it is answered."),
    )


@require_POST
def unfollow(request, question_id):
    return _act(
        request,
        question_id,
        forms.ConfirmForm,
        "follow_form",
        lambda q, d: services.unfollow_question(request.user, q),
        success=_("You no longer follow this question."),
    )


def qualification_queue(request):
    """The community manager's queue: overdue questions first, then new ones, then those waiting for details."""
    if not permissions.can_qualify(request.user):
        raise Http404
    today = workdays.today()
    base = permissions.visible(Question.objects.all(), request.user).select_related(
        "service", "commune", "theme", "asker__member"
    )
    overdue = base.filter(services.overdue_q(today)).order_by("deadline", "pk")
    new = base.filter(status=Question.Status.NEW).order_by("created_at", "pk")
    waiting = base.filter(status=Question.Status.WAITING).order_by("paused_at", "pk")
    return render(
        request,
        "questions/queue.html",
        {
            "overdue": overdue[:100],
            "new": new[:100],
            "waiting": waiting[:100],
            "services": permissions.services_of(request.user, Service.objects.all()),
        },
    )


def service_queue(request, service_id):
    """A service's queue: its agents (and staff) only; overdue first, then by deadline."""
    service = get_object_or_404(Service, pk=service_id)
    if not permissions.is_agent(request.user, service):
        raise Http404
    questions = (
        permissions.visible(Question.objects.all(), request.user)
        .filter(service=service, status__in=[Question.Status.ROUTED, Question.Status.WAITING])
        .select_related("service", "commune", "theme", "asker__member")
        .order_by("deadline", "pk")
    )
    to_approve = Answer.objects.filter(service=service, state=Answer.State.SUBMITTED).select_related("question")
    return render(
        request,
        "questions/service_queue.html",
        {"service": service, "questions": questions[:200], "to_approve": to_approve[:100]},
    )


def services_record(request):
    """Every service's public record."""
    return render(request, "questions/services.html", {"records": record.records()})


def service_detail(request, service_id):
    """One service's public record and its latest answers."""
    service = get_object_or_404(Service, pk=service_id)
    answers = (
        permissions.visible(Question.objects.filter(service=service, status=Question.Status.ANSWERED), request.user)
        .select_related("service", "commune", "theme")
        .order_by("-answered_at")[:20]
    )
    return render(
        request,
        "questions/service.html",
        {
            "service": service,
            "record": record.records(Service.objects.filter(pk=service.pk))[0],
            "answered": answers,
            "is_agent": permissions.is_agent(request.user, service),
        },
    )


def ask_url(page):
    return f"{reverse('questions:ask')}?page={page.pk}"
