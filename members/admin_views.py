"""Wagtail admin views of the members app: the "Most engaged residents" report and member detail."""

import csv
import io
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from members import report, scoring
from members.access import can_sanction, can_view_engagement_report
from members.charts import bar_chart
from members.forms import EngagementReportForm
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
    context.update(
        rows=rows,
        ranking=ranking,
        kinds=[(kind, kind.label) for kind in scoring.WEIGHT_FIELDS],
        csv_query=urlencode({**query.dict(), "format": "csv"}),
        xlsx_query=urlencode({**query.dict(), "format": "xlsx"}),
        chart=bar_chart(
            weeks,
            title=_("Contributions per week over the last %(weeks)s weeks") % {"weeks": len(weeks)},
            value_label=_("Contributions"),
        ),
    )
    context.update(report.actions_context(request, query))
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


def member_detail(request, member_id):
    if not can_view_engagement_report(request.user):
        raise PermissionDenied
    member = get_object_or_404(Member.objects.select_related("user", "commune", "neighbourhood"), pk=member_id)
    detail = report.member_detail(member, viewer=request.user)
    context = {
        "page_title": member.pseudonym,
        "header_icon": "user",
        "member": member,
        "may_sanction": can_sanction(request.user),
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
