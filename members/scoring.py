"""Scores derived from the ledger and the current rules, at read time.

Nothing here writes: a score is never stored on a ledger line, so a revert, a
hidden contribution, a block or a change of weights (Settings > Scoring in the
Wagtail admin) applies to the whole history at once.

The rules, in the order they apply (each has a test in tests/members/test_scoring.py):

1. Only lines of a kind whose weight is above 0 earn points; decisions
   (REVERTED, PATROLLED, HIDDEN, RESTORED) never do.
2. A line with a REVERTED or HIDDEN line concerning it earns nothing, unless
   a RESTORED line concerns that HIDDEN line: a moderator restored the item
   (or an appeal was granted), and the points come back. The ledger stays
   append-only: a hiding is lifted by a new line, never by deleting one.
3. An edit marked whitespace-only (`facts["whitespace_only"]`), or changing
   fewer characters than the tiny-edit threshold, earns nothing.
4. A member's revert of their own edit earns nothing: the revert is recorded
   by the wiki as an EDIT line and a REVERTED line sharing the same revision;
   when the REVERTED line's member, the reverted edit's member and the EDIT
   line's member are the same person, the EDIT line earns nothing (and the
   reverted edit is void by rule 2).
5. Patrol: an edit made while its author's account was younger than the patrol
   window earns points once a PATROLLED line concerns it, or once the patrol
   window has passed since the edit (unpatrolled edits age out).
6. A run of consecutive edits by the same member on the same page (no edit of
   theirs on another page in between) starting within an hour of the run's
   first edit counts once, sized by its largest `chars_changed`.
7. An edit earns `edit_weight` points per size step: 1 step from the tiny-edit
   threshold, up to 5 steps (thresholds in the settings).
8. Edit points are capped per member and per (local) day; so are discussion
   comments (DISCUSSION_DAILY_CAP comments a day earn points). Other kinds, and
   workshop attendance in particular, are never capped.
8b. A comment shorter than DISCUSSION_SHORT_COMMENT_CHARS characters, or a reply to
   one's own comment (`facts["own_reply"]`, written by discussion.services), earns nothing.
9. Eligibility to rank: not a moderator (members.access.is_moderator: staff
   included), not blocked now nor in the last 30 days, not muted now nor muted or
   warned in the last `sanction_rank_days` (Settings > Moderation; a mute or warning
   reversed on appeal does not count: `recently_sanctioned`), account older than
   the minimum age and at least the minimum number of scoring ledger lines
   (all time). Members who cannot rank still see their own score on /me/.

Filters (`scoring_lines`, the one place they apply): a period (lines since a
date), a territory (lines about a page under the commune or neighbourhood) and
a theme (lines about a wiki page or project carrying the theme now: a subquery
on the two through tables, wiki.themes.carrying, asked through members.themes).
Under a territory or a theme, lines about no page (workshops) do not count.

The leaderboard is computed in a fixed number of queries (aggregates in the
database, a single pass over the scoring edits in Python for runs and the cap)
and cached in Django's cache. Once older than `LEADERBOARD_CACHE_SECONDS`
(5 minutes by default), or after a change of rules or an `invalidate()`, it is
recomputed by a background task while the previous one is still served
(`cached_rows`), so the page shows how fresh it is and never makes a visitor
wait for a computation over millions of ledger lines.
"""

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks import task
from wagtail.models import Page, Site

from civic import generation as generations
from members import visibility
from members.access import moderator_q
from members.models import (
    Activity,
    Block,
    Member,
    ModerationDecision,
    ModerationSettings,
    Mute,
    ScoringSettings,
    Warning,
)
from members.themes import carrying, theme_by_id

Kind = Activity.Kind

PERIODS = {"7d": 7, "30d": 30, "12m": 365, "all": None}
PERIOD_LABELS = {
    "7d": _("7 days"),
    "30d": _("30 days"),
    "12m": _("12 months"),
    "all": _("All time"),
}
RUN_WINDOW = timedelta(hours=1)
VOIDING_KINDS = [Kind.REVERTED, Kind.HIDDEN]
# Kinds that earn points, with the ScoringSettings field holding their weight.
WEIGHT_FIELDS = {
    Kind.EDIT: "edit_weight",
    Kind.PAGE_CREATED: "page_created_weight",
    Kind.PROJECT_CREATED: "project_created_weight",
    Kind.WORKSHOP_ATTENDED: "workshop_attended_weight",
    Kind.WRITEUP: "writeup_weight",
    Kind.DISCUSSION: "discussion_weight",
    Kind.QUESTION: "question_weight",
    Kind.REPORT_UPHELD: "report_upheld_weight",
    Kind.PHOTO: "photo_weight",
}
CACHE_PREFIX = "members:leaderboard"
# A stale leaderboard is kept this long, to be served while the new one is computed.
KEEP_STALE_SECONDS = 7 * 24 * 3600
# One refresh at a time per leaderboard; a refresh lost with its worker is retried after this.
REFRESH_LOCK_SECONDS = 600
GENERATION_KEY = f"{CACHE_PREFIX}:generation"
# The public leaderboard is cached in pages of this many rows (the page size of /leaderboard/).
PUBLIC_PAGE_SIZE = 50
PUBLIC_PART = ":public"


# The rules -------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """The current ScoringSettings as plain values."""

    weights: dict
    tiny_edit_chars: int = 20
    edit_steps: tuple = (100, 300, 1000, 3000)
    daily_edit_cap: int = 30
    patrol_window_days: int = 14
    min_account_age_days: int = 7
    min_contributions: int = 3
    discussion_daily_cap: int = 10
    short_comment_chars: int = 40
    sanction_rank_days: int = 30  # Settings > Moderation

    @classmethod
    def from_settings(cls, scoring, *, sanction_rank_days=30):
        return cls(
            sanction_rank_days=sanction_rank_days,
            weights={kind: getattr(scoring, name) for kind, name in WEIGHT_FIELDS.items()},
            tiny_edit_chars=scoring.tiny_edit_chars,
            edit_steps=(
                scoring.edit_step_2_chars,
                scoring.edit_step_3_chars,
                scoring.edit_step_4_chars,
                scoring.edit_step_5_chars,
            ),
            daily_edit_cap=scoring.daily_edit_cap,
            patrol_window_days=scoring.patrol_window_days,
            min_account_age_days=scoring.min_account_age_days,
            min_contributions=scoring.min_contributions,
            discussion_daily_cap=getattr(settings, "DISCUSSION_DAILY_CAP", 10),
            short_comment_chars=getattr(settings, "DISCUSSION_SHORT_COMMENT_CHARS", 40),
        )

    @property
    def scoring_kinds(self):
        return [kind for kind, weight in self.weights.items() if weight > 0]

    def edit_points(self, chars_changed):
        """1 to 5 steps by size of the change, times the edit weight; tiny edits earn 0."""
        if chars_changed < max(self.tiny_edit_chars, 1):
            return 0
        steps = 1 + sum(1 for threshold in self.edit_steps if chars_changed >= threshold)
        return steps * self.weights[Kind.EDIT]

    def fingerprint(self):
        raw = repr(sorted((str(k), v) for k, v in self.weights.items())) + repr(
            (
                self.tiny_edit_chars,
                self.edit_steps,
                self.daily_edit_cap,
                self.patrol_window_days,
                self.min_account_age_days,
                self.min_contributions,
                self.discussion_daily_cap,
                self.short_comment_chars,
                self.sanction_rank_days,
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def load_rules(site=None):
    """The rules of the default site (defaults when no site exists yet)."""
    site = site or Site.objects.filter(is_default_site=True).first()
    scoring = ScoringSettings.for_site(site) if site else ScoringSettings()
    moderation = ModerationSettings.for_site(site) if site else ModerationSettings()
    return Rules.from_settings(scoring, sanction_rank_days=moderation.sanction_rank_days)


def period_start(period, now):
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}")
    days = PERIODS[period]
    return None if days is None else now - timedelta(days=days)


# What the ledger says --------------------------------------------------------


def voided():
    """A REVERTED or HIDDEN line concerns the outer line, and no RESTORED line lifted it (rule 2)."""
    lifted = Exists(Activity.objects.filter(concerns=OuterRef("pk"), kind=Kind.RESTORED))
    decisions = Activity.objects.filter(concerns=OuterRef("pk"), kind__in=VOIDING_KINDS)
    # Only a hiding is lifted: a revert is undone by a new edit, never by a RESTORED line.
    return Exists(decisions.exclude(Q(kind=Kind.HIDDEN) & Q(lifted)))


def self_revert():
    """The outer EDIT line is its author's revert of their own edit (rule 4)."""
    return Exists(
        Activity.objects.filter(
            kind=Kind.REVERTED,
            revision_id=OuterRef("revision_id"),
            member_id=OuterRef("member_id"),
            concerns__member_id=OuterRef("member_id"),
        )
    )


def patrol_window(rules):
    """Rule 5's window as a timedelta; None when patrol is switched off."""
    return timedelta(days=rules.patrol_window_days) if rules.patrol_window_days else None


def in_patrol_window(member, at=None, rules=None):
    """Rule 5 for one member: was their account younger than the patrol window at `at` (default: now)?

    Their edits made then wait for a patrol (the wiki flags them for moderators,
    wiki.moderation); `cleared_by_patrol` is the same rule in SQL.
    """
    window = patrol_window(rules or load_rules())
    return window is not None and member.created_at > (at or timezone.now()) - window


def cleared_by_patrol(rules, now):
    """Q: the edit is not waiting for a patrol (rule 5)."""
    window = patrol_window(rules)
    if window is None:
        return Q()
    joined_before_window = ExpressionWrapper(F("occurred_at") - window, output_field=DateTimeField())
    return (
        Q(member__created_at__lte=joined_before_window)
        | Q(occurred_at__lte=now - window)
        | Exists(Activity.objects.filter(concerns=OuterRef("pk"), kind=Kind.PATROLLED))
    )


def scoring_lines(rules, *, since=None, territory=None, theme=None, member_ids=None):
    """Lines of kinds that earn points, not voided, not whitespace-only nor tiny edits."""
    lines = Activity.objects.filter(member__isnull=False, kind__in=rules.scoring_kinds).exclude(voided())
    # Case/When: a line without the fact is not whitespace-only (a bare JSON
    # lookup would be NULL there, and NOT NULL would drop the line).
    whitespace_only = Case(
        When(facts__whitespace_only=True, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    own_reply = Case(When(facts__own_reply=True, then=Value(True)), default=Value(False), output_field=BooleanField())
    lines = (
        lines.alias(whitespace_only=whitespace_only, own_reply=own_reply)
        .exclude(Q(kind=Kind.EDIT) & (Q(whitespace_only=True) | Q(chars_changed__lt=rules.tiny_edit_chars)))
        .exclude(
            # Lines of discussion.services carry `own_reply` and the comment's length in chars_changed.
            Q(kind=Kind.DISCUSSION)
            & Q(facts__has_key="own_reply")
            & (Q(own_reply=True) | Q(chars_changed__lt=rules.short_comment_chars))
        )
    )
    if since is not None:
        lines = lines.filter(occurred_at__gte=since)
    if territory is not None:
        lines = lines.filter(page__path__startswith=territory.path)
    if theme is not None:
        lines = lines.filter(carrying(theme, "page_id"))
    if member_ids is not None:
        lines = lines.filter(member_id__in=member_ids)
    return lines


@dataclass
class Tally:
    """One member's points over a period."""

    breakdown: dict = field(default_factory=dict)
    contributions: int = 0
    last_contribution: object = None

    @property
    def score(self):
        return sum(self.breakdown.values())

    def add(self, kind, points, count, last):
        self.breakdown[kind] = self.breakdown.get(kind, 0) + points
        self.contributions += count
        if last is not None and (self.last_contribution is None or last > self.last_contribution):
            self.last_contribution = last


def collapse_runs(edits):
    """Rule 6: [(page_id, at, chars)] sorted by time -> [(start, largest chars)] of runs."""
    runs = []
    current_page = None
    for page_id, at, chars in edits:
        if runs and page_id == current_page and at - runs[-1][0] <= RUN_WINDOW:
            runs[-1][1] = max(runs[-1][1], chars)
        else:
            runs.append([at, chars])
            current_page = page_id
    return runs


def capped_edit_points(rules, runs):
    """Rules 7 and 8: points of each run, capped per local day."""
    per_day = defaultdict(int)
    # Looked up once: timezone.localdate() per run dominated the leaderboard's time.
    local = timezone.get_current_timezone()
    for start, chars in runs:
        per_day[start.astimezone(local).date()] += rules.edit_points(chars)
    cap = rules.daily_edit_cap
    return sum(min(points, cap) if cap else points for points in per_day.values())


def tally(rules, *, since=None, territory=None, theme=None, member_ids=None, now=None):
    """{member_id: Tally} over the period, in two queries whatever the data."""
    now = now or timezone.now()
    lines = scoring_lines(rules, since=since, territory=territory, theme=theme, member_ids=member_ids)
    tallies = defaultdict(Tally)

    # Comments are counted per local day, for their daily cap (rule 8); other kinds in one group each.
    day = Case(
        When(kind=Kind.DISCUSSION, then=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone())),
        default=Value(None, output_field=DateField()),
        output_field=DateField(),
    )
    others = lines.exclude(kind=Kind.EDIT)
    if patrol_window(rules) is not None:
        # A new member's photos score once patrolled, like their edits (rule 5; gallery.services).
        others = others.exclude(Q(kind=Kind.PHOTO) & ~cleared_by_patrol(rules, now))
    others = (
        others.annotate(day=day)
        .values("member_id", "kind", "day")
        .annotate(count=Count("pk"), last=Max("occurred_at"))
        .order_by()
    )
    for row in others:
        scored = row["count"]
        if row["day"] is not None and rules.discussion_daily_cap:
            scored = min(scored, rules.discussion_daily_cap)
        tallies[row["member_id"]].add(row["kind"], scored * rules.weights[row["kind"]], row["count"], row["last"])

    if rules.weights[Kind.EDIT] > 0:
        edits = (
            lines.filter(kind=Kind.EDIT)
            .exclude(self_revert())
            .filter(cleared_by_patrol(rules, now))
            .order_by("member_id", "occurred_at", "pk")
            .values_list("member_id", "page_id", "occurred_at", "chars_changed")
        )
        by_member = defaultdict(list)
        for member_id, page_id, at, chars in edits.iterator(chunk_size=5000):
            by_member[member_id].append((page_id, at, chars))
        for member_id, member_edits in by_member.items():
            runs = collapse_runs(member_edits)
            tallies[member_id].add(Kind.EDIT, capped_edit_points(rules, runs), len(runs), member_edits[-1][1])
    return dict(tallies)


# Who ranks ---------------------------------------------------------------------


def contribution_count(rules):
    """Subquery: the member's scoring ledger lines over all time (rule 9)."""
    lines = (
        scoring_lines(rules)
        .filter(member_id=OuterRef("pk"))
        .order_by()
        .values("member_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(lines), 0)


def staff_or_moderator():
    """Q on Member: moderators, staff included (members.access.moderator_q)."""
    return moderator_q("user")


def recently_blocked(now):
    """Exists on Member: a block in force now or in the last Block.RECENT_BLOCK_DAYS."""
    return Exists(Block.active_or_recent(now).filter(member=OuterRef("pk")))


def recently_sanctioned(now, days):
    """Exists on Member: muted now or in the last `days` days, or warned in them (Settings > Moderation).

    A mute or warning whose appeal was granted does not count: the decision was reversed.
    """
    since = now - timedelta(days=days)
    granted = Exists(
        ModerationDecision.objects.filter(
            action=ModerationDecision.Action.APPEAL_GRANTED, concerns__concerns=OuterRef("decision_id")
        )
    )
    mutes = Mute.objects.in_force_during(since, now).filter(member=OuterRef("pk")).exclude(granted)
    warnings = Warning.objects.filter(member=OuterRef("pk"), created_at__gt=since, created_at__lte=now).exclude(granted)
    return Exists(mutes) | Exists(warnings)


def has_enough_contributions(rules):
    """Exists: the member has at least `min_contributions` scoring lines (rule 9).

    Asks for the n-th line (LIMIT 1 OFFSET n-1) rather than counting them all:
    the database stops at the n-th line of each member instead of reading
    their whole history.
    """
    if rules.min_contributions == 0:
        return Value(True)
    nth = rules.min_contributions - 1
    lines = scoring_lines(rules).filter(member_id=OuterRef("pk")).order_by().values("pk")[nth : nth + 1]
    return Exists(lines)


def eligible_members(rules, now):
    """Members who may rank (rule 9)."""
    return (
        Member.objects.filter(user__is_active=True, created_at__lte=now - timedelta(days=rules.min_account_age_days))
        .exclude(staff_or_moderator())
        .exclude(recently_blocked(now))
        .exclude(recently_sanctioned(now, rules.sanction_rank_days))
        .filter(has_enough_contributions(rules))
    )


def ineligibility_reasons(member, rules=None, now=None):
    """Why a member does not rank, in words (empty list: they may rank)."""
    rules = rules or load_rules()
    now = now or timezone.now()
    reasons = []
    user = member.user
    if Member.objects.filter(pk=member.pk).filter(staff_or_moderator()).exists():
        reasons.append(_("Staff and moderators do not take part in the ranking."))
    if Member.objects.filter(pk=member.pk).filter(recently_blocked(now)).exists():
        reasons.append(_("Members blocked now or in the last 30 days do not rank."))
    if Member.objects.filter(pk=member.pk).filter(recently_sanctioned(now, rules.sanction_rank_days)).exists():
        reasons.append(
            _("Members muted now or muted or warned in the last %(days)d days do not rank.")
            % {"days": rules.sanction_rank_days}
        )
    if not user.is_active:
        reasons.append(_("This account is inactive."))
    days_left = rules.min_account_age_days - (now - member.created_at).days
    if member.created_at > now - timedelta(days=rules.min_account_age_days):
        reasons.append(
            ngettext(
                "Your account must be at least %(days)d day old to rank.",
                "Your account must be at least %(days)d days old to rank.",
                days_left,
            )
            % {"days": days_left}
        )
    count = Member.objects.filter(pk=member.pk).annotate(n=contribution_count(rules)).values_list("n", flat=True)
    if (count.first() or 0) < rules.min_contributions:
        reasons.append(
            ngettext(
                "You need at least %(count)d contribution that earns points to rank.",
                "You need at least %(count)d contributions that earn points to rank.",
                rules.min_contributions,
            )
            % {"count": rules.min_contributions}
        )
    return reasons


# The ranking ---------------------------------------------------------------------


@dataclass
class Standing:
    member: Member
    score: int
    rank: int | None
    breakdown: dict
    contributions: int = 0
    last_contribution: object = None

    @property
    def points_by_kind(self):
        """Points of every scoring kind, in the order of WEIGHT_FIELDS (zeros included)."""
        return [self.breakdown.get(kind, 0) for kind in WEIGHT_FIELDS]

    @property
    def breakdown_items(self):
        """[(label, points)] in the order of Activity.Kind, non-zero only."""
        return [(kind.label, self.breakdown[kind]) for kind in WEIGHT_FIELDS if self.breakdown.get(kind)]


@dataclass
class Ranking:
    standings: list
    computed_at: object
    period: str
    territory: object = None
    theme: object = None

    def standing_of(self, member):
        return next((s for s in self.standings if s.member.pk == member.pk), None)


def compute_rows(rules, *, period, territory, now, theme=None):
    """[(member_id, score, rank, breakdown, contributions, last)] by rank: plain data, cacheable."""
    since = period_start(period, now)
    tallies = tally(rules, since=since, territory=territory, theme=theme, now=now)
    eligible = dict(eligible_members(rules, now).filter(pk__in=list(tallies)).values_list("pk", "pseudonym"))
    scored = [(member_id, t) for member_id, t in tallies.items() if member_id in eligible and t.score > 0]
    scored.sort(key=lambda item: (-item[1].score, eligible[item[0]].lower(), item[0]))
    rows, rank, previous = [], 0, None
    for member_id, t in scored:
        if t.score != previous:
            rank, previous = rank + 1, t.score
        breakdown = {str(kind): points for kind, points in t.breakdown.items() if points}
        rows.append((member_id, t.score, rank, breakdown, t.contributions, t.last_contribution))
    return rows


def generation():
    return generations.current(GENERATION_KEY)


def invalidate():
    """Forget every cached leaderboard (weights changed, member blocked or gone)."""
    generations.bump(GENERATION_KEY)


def cache_seconds():
    return getattr(settings, "LEADERBOARD_CACHE_SECONDS", 300)


def _key_of(period, territory, theme):
    return _ranking_key(period, territory.pk if territory else None, theme.pk if theme else None)


def _ranking_key(period, territory_id, theme_id):
    return f"{CACHE_PREFIX}:{period}:{territory_id or '-'}:{theme_id or '-'}"


def refresh_ranking(period, territory=None, theme=None, rules=None):
    """Compute one leaderboard and keep it in the cache; returns what was kept.

    Kept in parts: the whole ranking (for a member's own rank and the staff
    report), and the public ranking in pages of PUBLIC_PAGE_SIZE rows with a
    small summary, so that showing one page of the public leaderboard reads
    one page from the cache, not twenty thousand rows.
    """
    return _refresh(period, territory, theme, rules)[""]


def _refresh(period, territory, theme, rules):
    rules = rules or load_rules()
    version = (generation(), rules.fingerprint())
    now = timezone.now()
    rows = compute_rows(rules, period=period, territory=territory, theme=theme, now=now)
    payload = {"computed_at": now, "version": version, "rows": rows}
    public = consenting_rows(rows)
    summary = {"computed_at": now, "version": version, "ranked": len(rows), "public": len(public)}
    key = _key_of(period, territory, theme)
    parts = {"": payload, PUBLIC_PART: summary}
    for start in range(0, len(public), PUBLIC_PAGE_SIZE):
        parts[f"{PUBLIC_PART}:{start // PUBLIC_PAGE_SIZE}"] = public[start : start + PUBLIC_PAGE_SIZE]
    cache.set_many({key + part: value for part, value in parts.items()}, KEEP_STALE_SECONDS)
    cache.delete(f"{key}:refreshing")
    return parts


def consenting_rows(rows):
    """The rows of members who agree to appear on the public leaderboard (and still have an account)."""
    consenting = set(Member.objects.filter(show_on_leaderboard=True, user__is_active=True).values_list("pk", flat=True))
    return [row for row in rows if row[0] in consenting]


@task()
def refresh_ranking_task(period, territory_id=None, theme_id=None):
    territory = Page.objects.filter(pk=territory_id).first() if territory_id else None
    theme = theme_by_id(theme_id)
    if (territory_id and territory is None) or (theme_id and theme is None):
        return  # deleted since: nobody can ask for this leaderboard any more
    refresh_ranking(period, territory, theme)


def cache_is_shared():
    """Do all processes (app servers, task workers) see the same cache (Redis), or each their own?"""
    return not isinstance(caches["default"], LocMemCache)


def cached_rows(rules, *, period, territory, theme, part=""):
    """The cached leaderboard (`part`: the whole one, or PUBLIC_PART), refreshed in the background once stale.

    Stale-while-revalidate: a leaderboard older than `cache_seconds()`, or
    computed before a change of rules or an invalidation, is still served
    while a background task (django_tasks: the db_worker in production)
    computes the new one, so no visitor waits for a computation over millions
    of ledger lines; only the very first request of a filter computes inline.
    Without a shared cache (no CACHE_URL) a stale leaderboard is recomputed
    in the request, as a task worker could not hand its result over.
    """
    territory_id, theme_id = (territory.pk if territory else None), (theme.pk if theme else None)
    key = _ranking_key(period, territory_id, theme_id)
    payload = cache.get(key + part)
    if payload is None:
        return _refresh(period, territory, theme, rules)[part]
    age = (timezone.now() - payload["computed_at"]).total_seconds()
    stale = payload["version"] != (generation(), rules.fingerprint()) or age >= cache_seconds()
    if stale and not cache_is_shared():
        # A per-process cache (no CACHE_URL): a task worker could not hand its result to this process.
        return _refresh(period, territory, theme, rules)[part]
    if stale and cache.add(f"{key}:refreshing", True, REFRESH_LOCK_SECONDS):
        refresh_ranking_task.enqueue(period, territory_id, theme_id)
        # The immediate backend (development, tests) has refreshed it already.
        payload = cache.get(key + part) or payload
    return payload


class PublicRows(Sequence):
    """The public rows of a cached leaderboard, read from the cache a page at a time (for a Paginator)."""

    def __init__(self, key, count, refill):
        self.key, self.count, self.refill = key, count, refill

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            position = index + self.count if index < 0 else index
            if not 0 <= position < self.count:
                raise IndexError(index)
            return self[position : position + 1][0]
        start, stop, step = index.indices(self.count)
        if start >= stop:
            return []
        pages = range(start // PUBLIC_PAGE_SIZE, (stop - 1) // PUBLIC_PAGE_SIZE + 1)
        names = [f"{self.key}{PUBLIC_PART}:{page}" for page in pages]
        found = cache.get_many(names)
        if len(found) < len(names):  # evicted meanwhile: compute it again rather than show a hole
            parts = self.refill()
            found = {f"{self.key}{name}": value for name, value in parts.items()}
        rows = [row for name in names for row in found.get(name, [])]
        offset = pages[0] * PUBLIC_PAGE_SIZE
        return rows[start - offset : stop - offset : step]


def standings_from_rows(rows, *, public_only=False):
    """Cached rows -> Standings with their members (one query; members gone since are left out).

    `public_only`: also leave out members who no longer agree to appear publicly.
    """
    members = Member.objects.all()
    if public_only:
        members = members.filter(show_on_leaderboard=True, user__is_active=True)
    members = members.in_bulk([row[0] for row in rows])
    return [
        Standing(members[member_id], score, rank, breakdown, contributions, last)
        for member_id, score, rank, breakdown, contributions, last in rows
        if member_id in members
    ]


def ranking(*, period="all", territory=None, theme=None, now=None, rules=None):
    """The ranking of eligible members (cached unless `now` is given), on the lines the filters keep."""
    rules = rules or load_rules()
    if now is not None or cache_seconds() <= 0:
        now = now or timezone.now()
        payload = {
            "computed_at": now,
            "rows": compute_rows(rules, period=period, territory=territory, theme=theme, now=now),
        }
    else:
        payload = cached_rows(rules, period=period, territory=territory, theme=theme)
    return Ranking(standings_from_rows(payload["rows"]), payload["computed_at"], period, territory, theme)


@dataclass
class PublicLeaderboard:
    """The public leaderboard: the rows of members who consented, the others only counted.

    `public` is a sequence of plain rows, read from the cache a page at a
    time; `public_standings(rows)` turns the rows shown into Standings,
    leaving out anyone who withdrew their consent since the ranking was
    computed, so a withdrawal shows at once. A new consent shows at the next
    refresh (update_profile asks for one).
    """

    public: Sequence
    hidden_count: int
    computed_at: object
    period: str
    territory: object = None
    theme: object = None

    @staticmethod
    def public_standings(rows):
        return standings_from_rows(rows, public_only=True)


def public_leaderboard(*, period="all", territory=None, theme=None):
    """The ranking as the public sees it: a summary and a page of rows from the cache, one query a page."""
    rules = load_rules()
    if cache_seconds() <= 0:
        now = timezone.now()
        rows = compute_rows(rules, period=period, territory=territory, theme=theme, now=now)
        public = consenting_rows(rows)
        return PublicLeaderboard(public, len(rows) - len(public), now, period, territory, theme)
    summary = cached_rows(rules, period=period, territory=territory, theme=theme, part=PUBLIC_PART)
    key = _key_of(period, territory, theme)
    public = PublicRows(key, summary["public"], lambda: _refresh(period, territory, theme, rules))
    return PublicLeaderboard(
        public, summary["ranked"] - summary["public"], summary["computed_at"], period, territory, theme
    )


def rank_members(*, period="all", commune=None, neighbourhood=None, theme=None, now=None):
    """Eligible members with a score over the period, by rank (consent NOT applied: callers filter).

    Each item has `member`, `score`, `rank`, `breakdown` ({kind: points}),
    `contributions` and `last_contribution`. `neighbourhood` wins over `commune`;
    `theme` keeps the lines about pages carrying it.
    """
    return ranking(period=period, territory=neighbourhood or commune, theme=theme, now=now).standings


def member_standing(member, *, period="all", now=None):
    """A member's own score and breakdown, live, with their rank when they rank."""
    rules = load_rules()
    live_now = now or timezone.now()
    own = tally(rules, since=period_start(period, live_now), member_ids=[member.pk], now=live_now).get(member.pk)
    own = own or Tally()
    ranked = ranking(period=period, now=now, rules=rules).standing_of(member)
    return Standing(
        member,
        own.score,
        ranked.rank if ranked else None,
        {str(kind): points for kind, points in own.breakdown.items() if points},
        own.contributions,
        own.last_contribution,
    )


def awaiting_patrol(member, *, rules=None, now=None):
    """(edits, points): the member's edits still waiting for a patrol (rule 5) and what they would earn.

    Points are what these edits would add once patrolled, counted as if they
    were the member's only edits (runs and daily cap applied among them).
    Two queries whatever the number of edits.
    """
    rules = rules or load_rules()
    now = now or timezone.now()
    if rules.patrol_window_days == 0 or rules.weights[Kind.EDIT] == 0:
        return 0, 0
    edits = (
        scoring_lines(rules, member_ids=[member.pk])
        .filter(kind=Kind.EDIT)
        .exclude(self_revert())
        .exclude(cleared_by_patrol(rules, now))
        .order_by("occurred_at", "pk")
        .values_list("page_id", "occurred_at", "chars_changed")
    )
    edits = list(edits)
    if not edits:
        return 0, 0
    return len(edits), capped_edit_points(rules, collapse_runs(edits))


# For the pages ---------------------------------------------------------------------


def weight_table(rules=None):
    """[(label, points)] of the kinds that earn fixed points (edits are explained apart)."""
    rules = rules or load_rules()
    return [(kind.label, rules.weights[kind]) for kind in WEIGHT_FIELDS if kind != Kind.EDIT]


def recent_contributions(member, rules=None, limit=30, *, viewer=None):
    """The member's latest scoring ledger lines, with their page (none voided), on pages `viewer` may see.

    `viewer` None: as the public sees them (a private page's title stays out, members.visibility).
    """
    rules = rules or load_rules()
    lines = visibility.visible(scoring_lines(rules, member_ids=[member.pk]), viewer, "page")
    return list(lines.select_related("page").order_by("-occurred_at", "-pk")[:limit])
