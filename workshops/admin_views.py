"""Workshops in the Wagtail admin: the Workshops list, and the invitations of the "Most engaged residents" report.

members sits below workshops: the report knows nothing of workshops; this module
registers its invitation form with it (WorkshopsConfig.ready calls
members.report.register_action) and serves the form's POST at the report's URL (workshops/wagtail_hooks.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from members.access import can_invite_from_report
from workshops.forms import InviteFromReportForm
from workshops.models import Registration, WorkshopIndexPage, WorkshopPage, open_for_invitations
from workshops.permissions import can_manage
from workshops.services import WorkshopError
from workshops.services import invite as invite_members


def invite_from_report_context(request, query):
    """The report's invitation form, for those who may invite."""
    if not can_invite_from_report(request.user):
        return {"invite_form": None, "has_workshops": False}
    return {
        "invite_form": InviteFromReportForm(initial={"query": query.urlencode()}),
        "has_workshops": open_for_invitations().exists(),
        "invite_url": reverse("members_invite_from_report"),
    }


@require_POST
def invite_from_report(request):
    """Invite the rows selected on the report to an upcoming workshop (workshops.services.invite)."""
    if not can_invite_from_report(request.user):
        raise PermissionDenied
    form = InviteFromReportForm(request.POST)
    back = reverse("members_engaged_residents")
    query = QueryDict(request.POST.get("query", ""))
    if query:
        back += "?" + query.urlencode()
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    workshop = form.cleaned_data["workshop"]
    members = list(form.cleaned_data["members"])
    try:
        result = invite_members(workshop, members, by=request.user)
    except WorkshopError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(count)s resident invited to %(workshop)s.",
            "%(count)s residents invited to %(workshop)s.",
            len(result.invited),
        )
        % {"count": len(result.invited), "workshop": workshop.title},
    )
    context = {
        "page_title": _("Invitations to %(workshop)s") % {"workshop": workshop.title},
        "header_icon": "mail",
        "workshop": workshop,
        "result": result,
        "back": back,
    }
    return render(request, "workshops/admin/invite_result.html", context)


WORKSHOPS_LISTED = 50


def workshops_list(request):
    """Admin › Workshops: the upcoming workshops and the latest past ones, with their check-in and management."""
    if not can_manage(request.user):
        raise PermissionDenied
    now = timezone.now()
    workshops = (
        WorkshopPage.objects.live()
        .select_related("commune")
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status__in=Registration.SEAT_TAKING)))
    )
    index = WorkshopIndexPage.objects.order_by("path").first()
    context = {
        "page_title": _("Workshops"),
        "header_icon": "date",
        "upcoming": list(workshops.filter(ends_at__gt=now).order_by("starts_at", "pk")[:WORKSHOPS_LISTED]),
        "past": list(workshops.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[:WORKSHOPS_LISTED]),
        "index": index,
        "can_add": index is not None and index.permissions_for_user(request.user).can_add_subpage(),
    }
    return render(request, "workshops/admin/workshops.html", context)
