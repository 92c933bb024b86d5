"""Thin views: validate input, call one service, render or redirect."""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from civic.params import parse_ids, parse_text
from members import visibility
from members.models import Member
from members.services import ensure_member, set_consents
from wiki import territory
from workshops import calendar, forms, permissions, seats, services, tasks, waves
from workshops.models import CalendarFeed, Registration, WorkshopPage, hash_token, open_for_invitations

Status = Registration.Status


def queued_message(count):
    return ngettext("%(count)s invitation queued.", "%(count)s invitations queued.", count) % {"count": count}


def ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def page_context(request, page, **extra):
    context = page.get_context(request)
    context["ancestors"] = territory.breadcrumbs(page)
    context.update(extra)
    return context


# -- index -----------------------------------------------------------------


def with_seats(queryset):
    return queryset.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status__in=Registration.SEAT_TAKING))
    )


def workshop_index(request, index):
    form = forms.CommuneFilterForm(request.GET or None)
    workshops = with_seats(index.workshops(request.user))
    commune = None
    if form.is_bound and form.is_valid():
        commune = form.cleaned_data["commune"]
        if commune:
            workshops = workshops.filter(commune=commune)
    now = timezone.now()
    context = page_context(
        request,
        index,
        form=form,
        commune=commune,
        upcoming=workshops.filter(ends_at__gte=now).order_by("starts_at"),
        past=workshops.filter(ends_at__lt=now).order_by("-starts_at")[:30],
        calendar_url=index.subpage_url("calendar"),
    )
    return render(request, "workshops/workshop_index_page.html", context)


def index_calendar(request, index):
    workshops = (
        index.workshops()
        .filter(ends_at__gte=timezone.now(), registration_mode=WorkshopPage.Mode.OPEN)
        .order_by("starts_at")
    )
    return ics_response(calendar.build(workshops, name=index.title), "workshops.ics")


# -- one workshop ----------------------------------------------------------


def workshop_detail(request, workshop):
    registration = None
    if request.user.is_authenticated:
        registration = Registration.objects.filter(workshop=workshop, member__user=request.user).first()
    context = page_context(
        request,
        workshop,
        registration=registration,
        seats_left=workshop.seats_left(),
        can_register=permissions.can_register(request.user, workshop),
        is_verified=permissions.is_verified_member(request.user),
        can_manage=permissions.can_manage(request.user, workshop),
        related=[r.page for r in workshop.related_pages.select_related("page")],
        event_url=workshop.subpage_url("event"),
        register_url=workshop.subpage_url("register"),
        cancel_url=workshop.subpage_url("cancel"),
        check_in_url=workshop.subpage_url("check-in"),
        manage_url=workshop.subpage_url("manage"),
        invite_url=workshop.subpage_url("invite"),
        registration_open=workshop.registration_open(),
        attended=_attended(workshop),
    )
    return render(request, "workshops/workshop_page.html", context)


def _attended(workshop):
    """Who came, in numbers, once the workshop is over: the count of the write-up, else those checked in."""
    if not workshop.is_past or workshop.is_cancelled:
        return None
    if workshop.attendee_count is not None:
        return workshop.attendee_count
    return workshop.registrations.filter(status=Status.ATTENDED).count()


def workshop_event(request, workshop):
    return ics_response(calendar.build([workshop], name=workshop.title), f"workshop-{workshop.pk}.ics")


def workshop_register(request, workshop):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(workshop.url)
    if not permissions.is_verified_member(request.user):
        messages.error(request, _("Please confirm your email address before registering."))
        return redirect(workshop.url)
    try:
        registration = services.register(ensure_member(request.user), workshop)
    except services.WorkshopError as error:
        messages.error(request, error.message)
    else:
        if registration.status == Status.CONFIRMED:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.success(request, _("The workshop is full: you are on the waiting list."))
    return redirect(workshop.url)


def workshop_cancel_registration(request, workshop):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(workshop.url)
    registration = Registration.objects.filter(workshop=workshop, member__user=request.user).first()
    if registration is None:
        raise Http404
    try:
        services.cancel(registration, by=request.user)
    except services.WorkshopError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(workshop.url)


# -- staff -----------------------------------------------------------------


def require_manager(request, workshop):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_manage(request.user, workshop):
        raise PermissionDenied
    return None


def check_in_url(workshop, action=None):
    """The check-in page, or the URL its form for `action` posts to (one URL per action)."""
    if action is None:
        return workshop.subpage_url("check-in")
    return workshop.url + workshop.reverse_subpage("check-in-action", kwargs={"action": action})


def back_to_check_in(request, workshop):
    """Redirect to the check-in page, keeping its search (staff at the door keep their filtered list)."""
    query = request.GET.urlencode()
    return redirect(check_in_url(workshop) + (f"?{query}" if query else ""))


def check_in(request, workshop):
    """The check-in page: registrants and the staff's forms, each posting to its own action URL."""
    if request.method == "POST":
        # Forms rendered before the actions had URLs of their own posted here with an "action" field.
        return check_in_action(request, workshop, request.POST.get("action", ""))
    if denied := require_manager(request, workshop):
        return denied
    return render_check_in(request, workshop)


def render_check_in(request, workshop, **bound):
    """The check-in page (registrants, walk-ins) with a blank walk-in form, or the `bound` one with its errors."""
    search = forms.CodeSearchForm(request.GET or None)
    walk_in = bound.get("walk_in") or forms.WalkInForm(prefix="walkin")
    query = f"?{request.GET.urlencode()}" if request.GET else ""  # the actions come back to this search
    registrations = (
        workshop.registrations.select_related("member__user")
        .exclude(status__in=[Status.DECLINED, Status.CANCELLED])
        .order_by("member__pseudonym")
    )
    if search.is_valid() and search.cleaned_data["q"]:
        q = search.cleaned_data["q"].strip()
        registrations = registrations.filter(Q(code__iexact=q) | Q(member__pseudonym__icontains=q))
    registrations = list(registrations)
    counts = dict(workshop.registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    context = page_context(
        request,
        workshop,
        registrations=registrations,
        counts=[(label, counts.get(value, 0)) for value, label in Status.choices],
        search=search,
        walk_in=walk_in,
        action_urls={name.replace("-", "_"): check_in_url(workshop, name) + query for name in CHECK_IN_ACTIONS},
        csv_url=workshop.subpage_url("attendees-csv"),
        invite_url=workshop.subpage_url("invite"),
        manage_url=workshop.subpage_url("manage"),
    )
    return render(request, "workshops/check_in.html", context)


# Actions that change the workshop itself: on a page of their own (`manage/`), away from the door's check-in.
MANAGE_ACTIONS = ("capacity", "reschedule", "cancel-workshop", "close")


def manage(request, workshop):
    """`manage/`: capacity, time and place, cancelling, the write-up (each form posts to its own action URL)."""
    if denied := require_manager(request, workshop):
        return denied
    return render_manage(request, workshop)


def back_to_manage(request, workshop):
    return redirect(workshop.subpage_url("manage"))


def render_manage(request, workshop, **bound):
    """The management page with blank forms, except the `bound` ones (a form with errors, shown again)."""
    blank = {
        "capacity_form": lambda: forms.CapacityForm(prefix="capacity", initial={"capacity": workshop.capacity}),
        "reschedule_form": lambda: forms.RescheduleForm(
            prefix="reschedule",
            initial={
                "starts_at": timezone.localtime(workshop.starts_at),
                "ends_at": timezone.localtime(workshop.ends_at),
                "venue_name": workshop.venue_name,
                "address": workshop.address,
            },
        ),
        "cancel_form": lambda: forms.CancelWorkshopForm(prefix="cancel"),
        "close_form": lambda: forms.CloseForm(
            prefix="close",
            initial={
                "attendee_count": workshop.registrations.filter(status=Status.ATTENDED).count(),
                "writeup": strip_tags(workshop.writeup),
            },
        ),
    }
    page_forms = {name: bound[name] if name in bound else make() for name, make in blank.items()}
    context = page_context(
        request,
        workshop,
        **page_forms,
        action_urls={name.replace("-", "_"): check_in_url(workshop, name) for name in MANAGE_ACTIONS},
        has_started=workshop.starts_at <= timezone.now(),
        check_in_url=check_in_url(workshop),
    )
    return render(request, "workshops/manage.html", context)


# -- the check-in page's actions: one small view and one form each ---------

CHECK_IN_ACTIONS = {}


def check_in_action_view(name):
    """Register a check-in action: POST only, for the workshop's managers; a refusal is a message."""

    def register(view):
        CHECK_IN_ACTIONS[name] = view
        return view

    return register


def check_in_action(request, workshop, action):
    """Run one check-in action (`check-in/<action>/`), then back to the check-in page."""
    if not request.user.is_authenticated:
        return redirect_to_login(check_in_url(workshop))
    if not permissions.can_manage(request.user, workshop):
        raise PermissionDenied
    view = CHECK_IN_ACTIONS.get(action)
    if view is None:
        messages.error(request, _("This action is not valid."))
        return back_to_check_in(request, workshop)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        return view(request, workshop)
    except services.WorkshopError as error:
        messages.error(request, error.message)
        return back_to_manage(request, workshop) if action in MANAGE_ACTIONS else back_to_check_in(request, workshop)


def refused(request, workshop, form):
    """A hidden form (ids the page wrote) came back invalid: say why, back to the page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return back_to_check_in(request, workshop)


@check_in_action_view("mark")
def mark_attendance(request, workshop):
    form = forms.CheckInForm(request.POST, workshop=workshop)
    if not form.is_valid():
        return refused(request, workshop, form)
    registration = services.check_in(form.cleaned_data["registration"], form.cleaned_data["present"], by=request.user)
    messages.success(
        request,
        _("%(name)s: %(status)s")
        % {"name": registration.member.pseudonym, "status": registration.get_status_display()},
    )
    return back_to_check_in(request, workshop)


@check_in_action_view("walk-in")
def add_walk_in(request, workshop):
    form = forms.WalkInForm(request.POST, prefix="walkin")
    if form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("No member has this email address."))
        else:
            services.add_walk_in(workshop, ensure_member(user), by=request.user)
            messages.success(request, _("Walk-in added and checked in."))
            return back_to_check_in(request, workshop)
    return render_check_in(request, workshop, walk_in=form)


@check_in_action_view("resend")
def resend_email(request, workshop):
    form = forms.ResendForm(request.POST, workshop=workshop)
    if not form.is_valid():
        return refused(request, workshop, form)
    registration = form.cleaned_data["registration"]
    kind = "invitation" if registration.status == Status.INVITED else "promoted"
    tasks.send_notice.enqueue(registration.pk, kind)
    messages.success(request, _("The email has been queued again."))
    return back_to_check_in(request, workshop)


@check_in_action_view("capacity")
def change_capacity(request, workshop):
    form = forms.CapacityForm(request.POST, prefix="capacity")
    if not form.is_valid():
        return render_manage(request, workshop, capacity_form=form)
    services.set_capacity(workshop, form.cleaned_data["capacity"], by=request.user)
    messages.success(request, _("The capacity has been changed."))
    return back_to_manage(request, workshop)


@check_in_action_view("reschedule")
def reschedule(request, workshop):
    form = forms.RescheduleForm(request.POST, prefix="reschedule")
    if not form.is_valid():
        return render_manage(request, workshop, reschedule_form=form)
    services.reschedule(workshop, by=request.user, **form.cleaned_data)
    messages.success(request, _("The workshop has been changed; registrants are notified."))
    return back_to_manage(request, workshop)


@check_in_action_view("cancel-workshop")
def cancel_workshop(request, workshop):
    form = forms.CancelWorkshopForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return render_manage(request, workshop, cancel_form=form)
    services.cancel_workshop(workshop, by=request.user)
    messages.success(request, _("The workshop has been cancelled; registrants are notified."))
    return back_to_manage(request, workshop)


@check_in_action_view("close")
def close_workshop(request, workshop):
    form = forms.CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        return render_manage(request, workshop, close_form=form)
    services.close_workshop(workshop, by=request.user, **form.cleaned_data)
    messages.success(request, _("The write-up has been published."))
    return back_to_manage(request, workshop)


def attendees_csv(request, workshop):
    if denied := require_manager(request, workshop):
        return denied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendees-{workshop.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Pseudonym"), _("Email"), _("Registration code"), _("Status")])
    registrations = workshop.registrations.select_related("member__user").filter(
        status__in=[Status.CONFIRMED, Status.ATTENDED, Status.ABSENT]
    )
    for registration in registrations.order_by("member__pseudonym"):
        writer.writerow(
            [
                registration.member.pseudonym,
                registration.member.user.email,
                registration.code,
                registration.get_status_display(),
            ]
        )
    return response


def invite(request, workshop):
    if denied := require_manager(request, workshop):
        return denied
    search = forms.InviteSearchForm(request.GET or None)
    candidates = Member.objects.select_related("user").filter(user__is_active=True).order_by("pseudonym")
    if search.is_valid() and search.cleaned_data["q"]:
        q = search.cleaned_data["q"].strip()
        candidates = candidates.filter(Q(pseudonym__icontains=q) | Q(user__email__icontains=q))
    candidates = candidates.exclude(workshop_registrations__workshop=workshop)
    result = None
    wave_form = forms.WaveForm(workshop=workshop)
    wave_invited = None
    is_wave = request.POST.get("action") == "wave"
    preselected = parse_ids(request.GET.getlist("members"), limit=500)
    if preselected and request.method != "POST":
        # Coming from the "most engaged residents" report: show the selected rows first.
        candidates = Member.objects.select_related("user").filter(pk__in=preselected).order_by("pseudonym")
    form = forms.InviteForm(
        request.POST if request.method == "POST" and not is_wave else None,
        queryset=candidates if request.method == "POST" else candidates[:500],
        initial={"members": preselected},
    )
    if is_wave:
        wave_form = forms.WaveForm(request.POST, workshop=workshop)
        if wave_form.is_valid():
            wave = wave_form.save(commit=False)
            wave.workshop = workshop
            wave.created_by = request.user
            try:
                with transaction.atomic():
                    wave.save()
                    wave_invited = waves.fill_wave(wave, by=request.user)
            except services.WorkshopError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, queued_message(len(wave_invited)))
                wave_form = forms.WaveForm(workshop=workshop)
    elif request.method == "POST" and form.is_valid():
        try:
            result = services.invite(workshop, list(form.cleaned_data["members"]), by=request.user)
        except services.WorkshopError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, queued_message(len(result.invited)))
            form = forms.InviteForm(queryset=candidates[:100])
    wave_list = workshop.waves.annotate(
        invited=Count("registrations", filter=Q(registrations__status=Status.INVITED)),
        taken=Count("registrations", filter=seats.seat_filter("registrations__status")),
    ).order_by("-created_at")
    context = page_context(
        request,
        workshop,
        wave_form=wave_form,
        wave_invited=wave_invited,
        waves=wave_list,
        form=form,
        search=search,
        result=result,
        check_in_url=workshop.subpage_url("check-in"),
    )
    return render(request, "workshops/invite.html", context)


# -- links from emails (no sign-in) ----------------------------------------


@require_http_methods(["GET", "POST"])
def rsvp_view(request, token, accept):
    registration = (
        Registration.objects.select_related("workshop", "member").filter(rsvp_token_hash=hash_token(token)).first()
    )
    context = {"accept": accept, "registration": registration, "workshop": registration and registration.workshop}
    if registration is None:
        context["error"] = _("This link is not valid. Use the most recent email about this workshop.")
        return render(request, "workshops/rsvp.html", context, status=404)
    if request.method == "POST":
        try:
            registration = services.rsvp(token, accept)
        except services.WorkshopError as error:
            context["error"] = error.message
            return render(request, "workshops/rsvp.html", context, status=400)
        context.update(done=True, registration=registration)
    elif registration.workshop.is_past:
        context["error"] = _("This link has expired: the workshop is over.")
        return render(request, "workshops/rsvp.html", context, status=410)
    return render(request, "workshops/rsvp.html", context)


@require_http_methods(["GET", "POST"])
def withdraw_consent(request, signed):
    try:
        member_pk = tasks.member_pk_from_withdraw_token(signed)
    except signing.SignatureExpired:
        return render(request, "workshops/withdraw.html", {"expired": True}, status=410)
    except signing.BadSignature:
        raise Http404 from None
    # An erased account (deactivated, anonymised) keeps no link that answers: 404 like its RSVP links.
    member = get_object_or_404(Member, pk=member_pk, user__is_active=True)
    done = False
    if request.method == "POST":
        set_consents(member, {Member.Consent.INVITATIONS: False})
        done = True
    return render(request, "workshops/withdraw.html", {"member": member, "done": done})


@require_http_methods(["GET", "POST"])
def my_calendar(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    member = ensure_member(request.user)
    feed, _created = CalendarFeed.objects.get_or_create(member=member)
    if request.method == "POST":
        services.reset_calendar_feed(member)
        messages.success(request, _("Your calendar address has been changed; the old one no longer works."))
        return redirect("workshops:my-calendar")
    url = request.build_absolute_uri(reverse("workshops:member-calendar", args=[feed.secret]))
    return render(request, "workshops/my_calendar.html", {"feed_url": url})


def member_calendar(request, secret):
    feed = get_object_or_404(CalendarFeed.objects.select_related("member"), secret=parse_text(secret) or "")
    # A workshop made private for a group its member left stays out (members.visibility).
    workshops = (
        visibility.visible(WorkshopPage.objects.live(), feed.member.user)
        .filter(
            registrations__member=feed.member,
            registrations__status__in=[Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED],
        )
        .order_by("starts_at")
    )
    return ics_response(calendar.build(workshops, name=_("My workshops")), "my-workshops.ics")


def choose_workshop(request):
    """From a selection of members (e.g. the engagement report): pick the workshop to invite them to."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    members = parse_ids(request.GET.getlist("members"), limit=500)
    query = "&".join(f"members={pk}" for pk in members)
    workshops = open_for_invitations()
    choices = [(workshop, f"{workshop.subpage_url('invite')}?{query}") for workshop in workshops]
    return render(request, "workshops/choose_workshop.html", {"choices": choices, "count": len(members)})
