"""Workshop actions on the members' "Most engaged residents" report: invite the selected rows.

members sits below workshops: the report knows nothing of workshops; this module
registers its invitation form with it (WorkshopsConfig.ready calls
members.report.register_action) and serves the form's POST at the report's URL (workshops/wagtail_hooks.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from members.access import can_invite_from_report
from workshops.forms import InviteFromReportForm
from workshops.models import open_for_invitations
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
