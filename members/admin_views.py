"""Wagtail admin views of the members app: the "Most engaged residents" report."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from members import scoring
from members.forms import EngagementReportForm
from members.permissions import can_view_engagement_report

SORTS = {
    "score": lambda s: (-s.score, s.member.pseudonym.lower()),
    "pseudonym": lambda s: s.member.pseudonym.lower(),
    "last": lambda s: -(s.last_contribution.timestamp() if s.last_contribution else 0),
    "contributions": lambda s: (-s.contributions, s.member.pseudonym.lower()),
}


def engaged_residents(request):
    if not can_view_engagement_report(request.user):
        raise PermissionDenied
    form = EngagementReportForm(request.GET)
    context = {"page_title": _("Most engaged residents"), "header_icon": "group", "form": form}
    if not form.is_valid():
        return render(request, "members/admin/engaged_residents.html", context, status=400)
    period = form.cleaned_data["period"]
    standings = scoring.ranking(period=period, territory=form.territory).standings
    standings = sorted(standings, key=SORTS[form.cleaned_data["sort"]])
    if form.cleaned_data["format"] == "csv":
        return csv_response(standings, period)
    query = request.GET.copy()
    query["format"] = "csv"
    context.update(
        standings=standings,
        kinds=[(kind, kind.label) for kind in scoring.WEIGHT_FIELDS],
        csv_query=query.urlencode(),
    )
    return render(request, "members/admin/engaged_residents.html", context)


def csv_response(standings, period):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="engaged-residents-{period}-{timezone.localdate()}.csv"'
    response.write("\ufeff")  # spreadsheets read UTF-8 with a BOM
    writer = csv.writer(response)
    kinds = list(scoring.WEIGHT_FIELDS)
    writer.writerow(
        [_("Rank"), _("Pseudonym"), _("Points"), *[kind.label for kind in kinds]]
        + [_("Contributions"), _("Last contribution"), _("Accepts invitations"), _("Public")]
    )
    for s in standings:
        writer.writerow(
            [s.rank, s.member.pseudonym, s.score, *s.points_by_kind]
            + [
                s.contributions,
                timezone.localtime(s.last_contribution).isoformat() if s.last_contribution else "",
                int(s.member.accept_invitations),
                int(s.member.show_on_leaderboard),
            ]
        )
    return response
