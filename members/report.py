"""The staff report "Most engaged residents": every eligible member, scored or not.

Reads the (cached) ranking for points and adds, in one more query, every
eligible member who earned nothing over the period, with workshop attendance
and no-shows counted in the database. A fixed number of queries whatever the
number of members, registrations and ledger lines.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from members import scoring
from members.models import Member

WEEKS_ON_CHARTS = 12

# What higher apps add to the report page (workshops: invite the selected rows to a workshop). Each entry is
# called with (request, query) and returns a dict for the template; members imports none of those apps.
report_actions = []


def register_action(context_for):
    """Add an action to the report page; returns `context_for`, so it can decorate."""
    report_actions.append(context_for)
    return context_for


def actions_context(request, query):
    """The template context of every registered action, for this request and the report's query string."""
    context = {}
    for context_for in report_actions:
        context.update(context_for(request, query))
    return context


@dataclass
class ReportRow(scoring.Standing):
    """A Standing with the member's workshop record (all time)."""

    attended: int = 0
    no_shows: int = 0


def registration_model():
    """The workshops' Registration, taken from the member's reverse relation: members imports no workshops."""
    return Member._meta.get_field("workshop_registrations").related_model


def registration_count(status):
    """Subquery on Member: their workshop registrations with this status."""
    Registration = registration_model()
    counts = (
        Registration.objects.filter(member_id=OuterRef("pk"), status=status)
        .order_by()
        .values("member_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


SORTS = {
    "score": lambda r: (-r.score, r.member.pseudonym.lower()),
    "pseudonym": lambda r: r.member.pseudonym.lower(),
    "last": lambda r: (-(r.last_contribution.timestamp() if r.last_contribution else 0), r.member.pseudonym.lower()),
    "contributions": lambda r: (-r.contributions, r.member.pseudonym.lower()),
    "attended": lambda r: (-r.attended, r.member.pseudonym.lower()),
    "no_shows": lambda r: (-r.no_shows, r.member.pseudonym.lower()),
}


def engaged_residents(*, period="all", territory=None, theme=None, never_attended=False, sort="score"):
    """(rows, ranking): every eligible member, scored over the period or not.

    With a territory, members who scored there or whose home commune or
    neighbourhood lies in it. With a theme, points come only from the pages
    carrying it (members who earned none there are listed with 0, as for a
    period). `never_attended` keeps members with no workshop attended (all time).
    """
    rules = scoring.load_rules()
    ranked = scoring.ranking(period=period, territory=territory, theme=theme, rules=rules)
    standings = {s.member.pk: s for s in ranked.standings}
    Status = registration_model().Status
    members = (
        scoring.eligible_members(rules, timezone.now())
        .select_related("user", "commune", "neighbourhood")
        .annotate(attended=registration_count(Status.ATTENDED), no_shows=registration_count(Status.ABSENT))
    )
    if territory is not None:
        members = members.filter(
            Q(pk__in=list(standings))
            | Q(commune__path__startswith=territory.path)
            | Q(neighbourhood__path__startswith=territory.path)
        )
    if never_attended:
        members = members.filter(attended=0)
    rows = []
    for member in members:
        standing = standings.get(member.pk)
        if standing is None:
            rows.append(ReportRow(member, 0, None, {}, attended=member.attended, no_shows=member.no_shows))
        else:
            rows.append(
                ReportRow(
                    member,
                    standing.score,
                    standing.rank,
                    standing.breakdown,
                    standing.contributions,
                    standing.last_contribution,
                    attended=member.attended,
                    no_shows=member.no_shows,
                )
            )
    rows.sort(key=SORTS[sort])
    ranked.rules = rules
    return rows, ranked


def export_table(rows):
    """(header, rows) of the report for CSV and spreadsheet exports (local naive datetimes)."""
    kinds = list(scoring.WEIGHT_FIELDS)
    header = [_("Rank"), _("Pseudonym"), _("Points"), *[str(kind.label) for kind in kinds]]
    header += [
        _("Contributions"),
        _("Last contribution"),
        _("Workshops attended"),
        _("No-shows"),
        _("Accepts invitations"),
        _("Public"),
    ]
    data = []
    for r in rows:
        last = timezone.localtime(r.last_contribution).replace(tzinfo=None) if r.last_contribution else None
        data.append(
            [r.rank, r.member.pseudonym, r.score, *r.points_by_kind]
            + [
                r.contributions,
                last,
                r.attended,
                r.no_shows,
                int(r.member.accept_invitations),
                int(r.member.show_on_leaderboard),
            ]
        )
    return header, data


# Activity over time ----------------------------------------------------------------


def week_start(day):
    return day - timedelta(days=day.weekday())


def weekly_contributions(*, territory=None, theme=None, member=None, weeks=WEEKS_ON_CHARTS, today=None, rules=None):
    """[(monday, count)] of scoring ledger lines per week, oldest first, zeros included.

    One query: lines counted per local day in the database, folded into
    weeks here (portable across SQLite and PostgreSQL).
    """
    today = today or timezone.localdate()
    first = week_start(today) - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, time.min))
    lines = scoring.scoring_lines(
        rules or scoring.load_rules(),
        since=since,
        territory=territory,
        theme=theme,
        member_ids=[member.pk] if member is not None else None,
    )
    per_day = (
        lines.annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {first + timedelta(weeks=i): 0 for i in range(weeks)}
    for row in per_day:
        monday = week_start(row["day"])
        if monday in counts:
            counts[monday] += row["n"]
    return list(counts.items())


def member_detail(member, viewer=None):
    """Everything the admin detail page shows about one member."""
    rules = scoring.load_rules()
    Status = registration_model().Status
    counts = Member.objects.filter(pk=member.pk).aggregate(
        attended=Count("workshop_registrations", filter=Q(workshop_registrations__status=Status.ATTENDED)),
        no_shows=Count("workshop_registrations", filter=Q(workshop_registrations__status=Status.ABSENT)),
    )
    return {
        "standing": scoring.member_standing(member),
        "reasons": scoring.ineligibility_reasons(member, rules),
        "lines": scoring.recent_contributions(member, rules, limit=20, viewer=viewer),
        "weeks": weekly_contributions(member=member, weeks=26, rules=rules),
        "blocks": list(member.blocks.all()),
        **counts,
    }
