"""Edit rate limits: how many saves per hour and new pages per day a member may make.

The limits are in Settings > Wiki (WikiSettings), stricter for accounts younger
than `new_account_days`; moderators and staff are exempt; a limit of 0 turns
that limit off. Every revision of a wiki page counts as an edit (a new page,
an edit, an undo, a restore, a rename); new pages also count against the daily
limit of new pages.

The counts come from the database (the revisions the member authored in the
window), never from one process's memory, so the limits hold across several
app servers. `check` locks the member's user row for the transaction, so two
simultaneous saves by one member cannot both take the last free slot.
wiki.services calls it right before saving; `RateLimited` says when the member
may try again.

Previews, diffs and page suggestions are limited too (`check_preview`, `check_diff`, `check_suggest`): so many per
minute (REQUEST_LIMITS) for each member, and for each network address of
anonymous visitors, counted in the cache (shared by every app server when
CACHE_URL points to Redis) since they leave nothing in the database.
Moderators and staff are exempt.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.addresses import client_address
from wiki import permissions

EDIT_WINDOW = timedelta(hours=1)
PAGE_WINDOW = timedelta(days=1)
EDIT = "edit"
NEW_PAGE = "page"
PREVIEW = "preview"
DIFF = "diff"
SUGGEST = "suggest"
REQUEST_WINDOW = timedelta(minutes=1)
# Requests per minute for each member or anonymous address; WIKI_REQUEST_LIMITS in the settings
# overrides them (0 turns a limit off).
REQUEST_LIMITS = {PREVIEW: 30, DIFF: 60, SUGGEST: 120}


class RateLimited(PermissionDenied):
    """The member reached a rate limit: nothing was saved; they may try again at `retry_at`."""

    def __init__(self, *, kind, limit, retry_at, new_account, new_account_days, now=None):
        self.kind = kind
        self.limit = limit
        self.retry_at = retry_at
        self.new_account = new_account
        self.new_account_days = new_account_days
        self.now = now or timezone.now()
        super().__init__(self.message)

    @property
    def retry_after(self):
        """Whole seconds until the member may try again (for the Retry-After header)."""
        return max(1, math.ceil((self.retry_at - self.now).total_seconds()))

    @property
    def message(self):
        if self.kind == NEW_PAGE:
            parts = [
                ngettext(
                    "You reached the limit of %(count)d new page per day.",
                    "You reached the limit of %(count)d new pages per day.",
                    self.limit,
                )
                % {"count": self.limit}
            ]
        else:
            parts = [
                ngettext(
                    "You reached the limit of %(count)d edit per hour.",
                    "You reached the limit of %(count)d edits per hour.",
                    self.limit,
                )
                % {"count": self.limit}
            ]
        if self.new_account:
            parts.append(
                ngettext(
                    "Accounts younger than %(days)d day have a lower limit.",
                    "Accounts younger than %(days)d days have a lower limit.",
                    self.new_account_days,
                )
                % {"days": self.new_account_days}
            )
        parts.append(self.when)
        return " ".join(parts)

    @property
    def when(self):
        """When the member may save again, e.g. "You can save again at 14:32, in 12 minutes." (rounded up)."""
        shown = self.retry_at.replace(second=0, microsecond=0)
        if shown < self.retry_at:
            shown += timedelta(minutes=1)
        local = timezone.localtime(shown)
        values = {
            "time": date_format(local, "TIME_FORMAT"),
            "date": date_format(local, "MONTH_DAY_FORMAT"),
            "delay": timeuntil(shown, self.now, depth=2),
        }
        if local.date() == timezone.localtime(self.now).date():
            return _("You can save again at %(time)s, in %(delay)s.") % values
        return _("You can save again on %(date)s at %(time)s, in %(delay)s.") % values


@dataclass(frozen=True)
class Limits:
    new_account: bool
    new_account_days: int
    edits_per_hour: int
    pages_per_day: int


def limits_for(user, *, now=None, settings=None):
    """The limits that apply to `user` now (None: exempt)."""
    if permissions.is_moderator(user):
        return None
    now = now or timezone.now()
    settings = settings or permissions.wiki_settings()
    new = user.date_joined > now - timedelta(days=settings.new_account_days)
    return Limits(
        new_account=new,
        new_account_days=settings.new_account_days,
        edits_per_hour=settings.edits_per_hour_new if new else settings.edits_per_hour,
        pages_per_day=settings.pages_per_day_new if new else settings.pages_per_day,
    )


def _nth_latest(user, limit, since, **filters):
    """When `user` saved their `limit`-th latest counted revision after `since` (None: fewer than `limit`)."""
    from wiki.models import RevisionMeta

    times = (
        RevisionMeta.objects.filter(revision__user=user, revision__created_at__gt=since, **filters)
        .order_by("-revision__created_at")
        .values_list("revision__created_at", flat=True)
    )
    return times[limit - 1 : limit].first()


def check(user, *, new_page=False, now=None):
    """Raise RateLimited when `user` may not save one more revision now (or create one more page, `new_page`).

    Call it inside the transaction that saves, right before saving.
    """
    now = now or timezone.now()
    limits = limits_for(user, now=now)
    if limits is None:
        return
    if not transaction.get_autocommit():
        # One member's saves queue here, so each one counts the others.
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    refusals = []
    if limits.edits_per_hour:
        nth = _nth_latest(user, limits.edits_per_hour, now - EDIT_WINDOW)
        if nth is not None:
            refusals.append((EDIT, limits.edits_per_hour, nth + EDIT_WINDOW))
    if new_page and limits.pages_per_day:
        nth = _nth_latest(user, limits.pages_per_day, now - PAGE_WINDOW, is_new_page=True)
        if nth is not None:
            refusals.append((NEW_PAGE, limits.pages_per_day, nth + PAGE_WINDOW))
    if refusals:
        kind, limit, retry_at = max(refusals, key=lambda refusal: refusal[2])
        raise RateLimited(
            kind=kind,
            limit=limit,
            retry_at=retry_at,
            new_account=limits.new_account,
            new_account_days=limits.new_account_days,
            now=now,
        )


class RequestsLimited(RateLimited):
    """Too many previews or diffs in a short time: nothing is lost, try again at `retry_at`."""

    def __init__(self, *, kind, limit, retry_at, now=None):
        super().__init__(kind=kind, limit=limit, retry_at=retry_at, new_account=False, new_account_days=0, now=now)

    @property
    def message(self):
        if self.kind == PREVIEW:
            text = ngettext(
                "You asked for more than %(count)d preview in a minute.",
                "You asked for more than %(count)d previews in a minute.",
                self.limit,
            )
        elif self.kind == SUGGEST:
            text = ngettext(
                "You asked for more than %(count)d page suggestion in a minute.",
                "You asked for more than %(count)d page suggestions in a minute.",
                self.limit,
            )
        else:
            text = ngettext(
                "You asked for more than %(count)d comparison of versions in a minute.",
                "You asked for more than %(count)d comparisons of versions in a minute.",
                self.limit,
            )
        again = _("Try again in %(delay)s.") % {"delay": timeuntil(self.retry_at, self.now, depth=1)}
        return f"{text % {'count': self.limit}} {again}"


def request_limit(kind):
    return getattr(django_settings, "WIKI_REQUEST_LIMITS", {}).get(kind, REQUEST_LIMITS[kind])


def _count_request(kind, who, now=None):
    """Count one request of `kind` by `who` in the current minute; raise RequestsLimited past the limit."""
    limit = request_limit(kind)
    if not limit:
        return
    now = now or timezone.now()
    seconds = int(REQUEST_WINDOW.total_seconds())
    window = int(now.timestamp()) // seconds
    key = f"wiki:requests:{kind}:{who}:{window}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    if count > limit:
        retry_at = datetime.fromtimestamp((window + 1) * seconds, tz=UTC)
        raise RequestsLimited(kind=kind, limit=limit, retry_at=retry_at, now=now)


def _who(request):
    """The member, or for an anonymous visitor a digest of their address (no address is stored)."""
    if request.user.is_authenticated:
        return f"member:{request.user.pk}"
    return "address:" + hashlib.sha256(client_address(request).encode()).hexdigest()[:32]


def _exempt(user):
    return user.is_authenticated and limits_for(user) is None


def check_preview(request, now=None):
    """Raise RequestsLimited when the visitor asked for too many previews this minute."""
    if not _exempt(request.user):
        _count_request(PREVIEW, _who(request), now)


def check_suggest(request, now=None):
    """Raise RequestsLimited when the visitor asked for too many page suggestions (the editor's links) this minute."""
    if not _exempt(request.user):
        _count_request(SUGGEST, _who(request), now)


def check_diff(request, now=None):
    """Raise RequestsLimited when the visitor asked for too many diffs this minute."""
    if not _exempt(request.user):
        _count_request(DIFF, _who(request), now)
