"""Wagtail admin views of the members app: the "Most engaged residents" report and member detail."""

import csv
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import report, scoring
from members.access import can_invite_from_report, can_view_engagement_report
from members.charts import bar_chart
from members.forms import EngagementReportForm, InviteFromReportForm, upcoming_workshops
from members.models import Member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def engaged_residents(request):
    if not can_view_engagement_report(request.user):
        raise PermissionDenied
    form = EngagementReportForm(request.GET)
    context = {"page_title": _("Most engaged residents"), "header_icon": "group", "form": form}
    if not form.is_valid():
        return render(request, "members/admin/engaged_residents.html", context, status=400)
    data = form.cleaned_data
    period = data["period"]
    rows, ranking = report.engaged_residents(
        period=period,
        territory=form.territory,
        theme=data["theme"],
        never_attended=data["never_attended"],
        sort=data["sort"],
    )
    theme_part = f"-{data['theme'].slug}" if data["theme"] else ""
    filename = f"engaged-residents-{period}{theme_part}-{timezone.localdate()}"
    if data["format"] == "csv":
        return csv_response(rows, filename)
    if data["format"] == "xlsx":
        return xlsx_response(rows, filename)
    query = request.GET.copy()
    query.pop("format", None)
    weeks = report.weekly_contributions(territory=form.territory, theme=data["theme"], rules=ranking.rules)
    may_invite = can_invite_from_report(request.user)
    context.update(
        rows=rows,
        ranking=ranking,
        kinds=[(kind, kind.label) for kind in scoring.WEIGHT_FIELDS],
        csv_query=urlencode({**query.dict(), "format": "csv"}),
        xlsx_query=urlencode({**query.dict(), "format": "xlsx"}),
        invite_form=InviteFromReportForm(initial={"query": query.urlencode()}) if may_invite else None,
        has_workshops=may_invite and upcoming_workshops().exists(),
        chart=bar_chart(
            weeks,
            title=_("Contributions per week over the last %(weeks)s weeks") % {"weeks": len(weeks)},
            value_label=_("Contributions"),
        ),
    )
    return render(request, "members/admin/engaged_residents.html", context)


def csv_response(rows, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # spreadsheets read UTF-8 with a BOM
    writer = csv.writer(response)
    header, data = report.export_table(rows)
    writer.writerow(header)
    for row in data:
        writer.writerow([csv_cell(value) for value in row])
    return response


def csv_cell(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def xlsx_response(rows, filename):
    """The report as a spreadsheet (openpyxl, a Wagtail dependency)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Engaged residents")[:31])
    header, data = report.export_table(rows)
    sheet.append(header)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@require_POST
def invite(request):
    """Invite the rows selected on the report to an upcoming workshop (workshops.services.invite)."""
    from workshops.services import WorkshopError
    from workshops.services import invite as invite_members

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
        _("%(count)s resident(s) invited to %(workshop)s.")
        % {"count": len(result.invited), "workshop": workshop.title},
    )
    context = {
        "page_title": _("Invitations to %(workshop)s") % {"workshop": workshop.title},
        "header_icon": "mail",
        "workshop": workshop,
        "result": result,
        "back": back,
    }
    return render(request, "members/admin/invite_result.html", context)


def member_detail(request, member_id):
    if not can_view_engagement_report(request.user):
        raise PermissionDenied
    member = get_object_or_404(Member.objects.select_related("user", "commune", "neighbourhood"), pk=member_id)
    detail = report.member_detail(member)
    context = {
        "page_title": member.pseudonym,
        "header_icon": "user",
        "member": member,
        "kinds": [(kind, kind.label) for kind in scoring.WEIGHT_FIELDS],
        "chart": bar_chart(
            detail["weeks"],
            title=_("Contributions of %(member)s per week over the last %(weeks)s weeks")
            % {"member": member.pseudonym, "weeks": len(detail["weeks"])},
            value_label=_("Contributions"),
        ),
        **detail,
    }
    return render(request, "members/admin/member_detail.html", context)
