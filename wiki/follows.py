"""Following pages: members follow wiki pages and projects and get ONE digest email of their changes.

A follow (`PageFollow`) remembers up to when its changes were sent
(`notified_until`, else the moment of following). `send_digests(now)` (run by
cron through `manage.py send_follow_digests`) finds, for every verified and
active member, the followed pages that OTHER people changed in that window,
queues one email per member (wiki.tasks.send_digest) and moves the windows on
to `now`, so a second run sends nothing.

Building the digests is batched: the due follows come in one query, the
revisions of a batch of members in one more, whatever the number of pages.

Other activity on a followed page joins the same digest through a registered
source (`register_source`): the discussion app registers its comments, so a
member who follows a page also reads of the comments others wrote there, and
the wiki imports no app above it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from civic import site_url
from members import visibility
from members.access import verified_q
from wiki import permissions
from wiki.models import PageFollow, RevisionMeta

UNFOLLOW_ALL_SALT = "wiki.unfollow-all"
# Members whose digests are built together (their revisions come in one query).
BATCH_SIZE = 200
# Summaries listed per page; the history has the rest.
MAX_SUMMARIES = 10


# Other activity on followed pages (comments) ----------------------------------------

_sources = []


@dataclass
class Happening:
    """One thing someone did on a followed page, as a source reports it (a comment)."""

    at: datetime
    user_id: int
    name: str


def register_source(source):
    """Add a source of activity to the digests. A source has three methods:

    - `others_since(now)`: an Exists over PageFollow rows (OuterRef "page_id", "user_id" and the
      annotated "since"): someone other than the follower did something on the page in (since, now];
    - `happenings(earliest, until)`: {page_id: [Happening, oldest first]} after `earliest[page_id]`
      up to `until`, in one query;
    - `url(page)`: where the follower reads them.
    """
    if all(type(known) is not type(source) for known in _sources):
        _sources.append(source)


# Following ------------------------------------------------------------------------


def follow(user, page):
    """`user` follows `page` (a wiki page or project); following twice changes nothing. Returns the follow."""
    if not permissions.can_follow(user, page):
        raise PermissionDenied(_("Confirm your email address before you follow pages."))
    try:
        with transaction.atomic():
            follow, _created = PageFollow.objects.get_or_create(user=user, page_id=page.pk)
    except IntegrityError:  # the same member following at the same moment from two tabs
        follow = PageFollow.objects.get(user=user, page_id=page.pk)
    return follow


def unfollow(user, page):
    """`user` stops following `page`; True if they were following it."""
    if not user.is_authenticated:
        return False
    deleted, _rows = PageFollow.objects.filter(user=user, page_id=page.pk).delete()
    return bool(deleted)


def unfollow_all(user):
    """`user` stops following every page; returns how many they followed."""
    deleted, _rows = PageFollow.objects.filter(user=user).delete()
    return deleted


def is_following(user, page):
    if user is None or not user.is_authenticated:
        return False
    return PageFollow.objects.filter(user=user, page_id=page.pk).exists()


def followed_pages(user):
    """The follows of `user` with their pages, by page title, without pages made private to them since."""
    follows = visibility.visible(PageFollow.objects.filter(user=user), user, "page")
    return follows.select_related("page").order_by("page__title", "pk")


# Links in the emails --------------------------------------------------------------


def absolute(url):
    """A page URL or path as an absolute URL on the public site (civic.site_url)."""
    return site_url.absolute_url(url)


def unfollow_all_token(user):
    return signing.dumps(user.pk, salt=UNFOLLOW_ALL_SALT)


def user_from_unfollow_token(token):
    """The user a one-click unfollow link was made for, or None when the link is forged or mangled."""
    from django.contrib.auth import get_user_model

    try:
        user_pk = signing.loads(token, salt=UNFOLLOW_ALL_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=user_pk).first()


def manage_url():
    return absolute(reverse("wiki:followed-pages"))


def unfollow_all_url(user):
    return absolute(reverse("wiki:unfollow-all", args=[unfollow_all_token(user)]))


# Digests --------------------------------------------------------------------------


@dataclass
class Window:
    """The changes of one followed page not yet sent: revisions in (since, until]."""

    follow_id: int
    page_id: int
    since: datetime
    # The notified_until read from the database (None: never sent), to claim the window safely.
    notified_until: datetime | None = None
    # The last revision the member was told about (the diff starts from it).
    base_revision_id: int | None = None

    def as_task_argument(self):
        return [self.page_id, self.since.isoformat(), self.base_revision_id]

    @classmethod
    def from_task_argument(cls, value):
        page_id, since, base_revision_id = value
        return cls(
            follow_id=0, page_id=int(page_id), since=datetime.fromisoformat(since), base_revision_id=base_revision_id
        )


@dataclass
class Summary:
    editor: str
    text: str


@dataclass
class DigestEntry:
    """One changed page in a digest."""

    title: str
    page_url: str
    history_url: str
    diff_url: str | None
    changes: int
    editors: list[str]
    summaries: list[Summary]
    more_summaries: int = 0
    # From the registered sources (the discussion's comments): how many, by whom, where to read them.
    comments: int = 0
    commenters: list[str] = field(default_factory=list)
    discussion_url: str | None = None

    @property
    def commenters_display(self):
        return ", ".join(self.commenters)

    @property
    def editors_display(self):
        return ", ".join(self.editors)


@dataclass
class Digest:
    """One email: a member and the followed pages others changed."""

    user: object
    until: datetime
    windows: list[Window]
    entries: list[DigestEntry] = field(default_factory=list)
    pages: dict = field(default_factory=dict)


def _due_follows(now):
    """Follows of verified, active members on live pages that others changed since the last digest (one query).

    A page made private stays out of the digests of members who may not read it (members.visibility).
    """
    changed_by_others = (
        RevisionMeta.objects.filter(
            page_id=OuterRef("page_id"),
            revision__created_at__gt=OuterRef("since"),
            revision__created_at__lte=now,
            revision__user__isnull=False,
        )
        .exclude(revision__user_id=OuterRef("user_id"))
        .values("pk")
    )
    last_told = (
        RevisionMeta.objects.filter(page_id=OuterRef("page_id"), revision__created_at__lte=OuterRef("since"))
        .order_by("-revision_id")
        .values("revision_id")[:1]
    )
    changed = Exists(changed_by_others)
    for source in _sources:
        changed |= source.others_since(now)
    return (
        PageFollow.objects.filter(verified_q("user"), page__live=True)
        .exclude(visibility.hidden_from_follower())
        .annotate(since=Coalesce("notified_until", "created_at"))
        .filter(changed)
        .annotate(base_revision_id=Subquery(last_told))
        .select_related("user__member", "page")
        .order_by("user_id", "page__title", "pk")
    )


def _earliest(windows):
    earliest = {}
    for window in windows:
        if window.page_id not in earliest or window.since < earliest[window.page_id]:
            earliest[window.page_id] = window.since
    return earliest


def _changes_of(windows, until):
    """{page_id: [RevisionMeta in the earliest window asked for that page, oldest first]} (one query)."""
    earliest = _earliest(windows)
    if not earliest:
        return {}
    condition = Q()
    for page_id, since in earliest.items():
        condition |= Q(page_id=page_id, revision__created_at__gt=since)
    rows = (
        RevisionMeta.objects.filter(condition, revision__created_at__lte=until)
        .select_related("revision__user__member")
        .defer("revision__content")
        .order_by("revision_id")
    )
    by_page = {}
    for meta in rows:
        by_page.setdefault(meta.page_id, []).append(meta)
    return by_page


def _pseudonym(user):
    member = getattr(user, "member", None)
    return member.pseudonym if member is not None else _("an unknown member")


def _entry(user, page, window, metas, happenings=()):
    """The digest entry for `page`, or None when nobody else changed it or commented on it in the window."""
    in_window = [meta for meta in metas if meta.revision.created_at > window.since]
    by_others = [meta for meta in in_window if meta.revision.user_id is not None and meta.revision.user_id != user.pk]
    # Never the follower's own comments.
    others_did = [(source, h) for source, h in happenings if h.at > window.since and h.user_id != user.pk]
    if not by_others and not others_did:
        return None
    editors = list(dict.fromkeys(_pseudonym(meta.revision.user) for meta in by_others))
    # A moderator hid these revisions' content: their summaries never go out.
    summaries = [
        Summary(editor=_pseudonym(meta.revision.user), text=meta.summary)
        for meta in by_others
        if meta.summary and not meta.hidden
    ]
    page_url = absolute(page.get_url())
    head_id = in_window[-1].revision_id if in_window else None
    base_id = window.base_revision_id
    return DigestEntry(
        title=page.title,
        page_url=page_url,
        history_url=f"{page_url}history/",
        diff_url=f"{page_url}diff/{base_id}/{head_id}/" if base_id and head_id and base_id != head_id else None,
        changes=len(by_others),
        editors=editors,
        summaries=summaries[:MAX_SUMMARIES],
        more_summaries=max(0, len(summaries) - MAX_SUMMARIES),
        comments=len(others_did),
        commenters=list(dict.fromkeys(h.name for _source, h in others_did)),
        discussion_url=absolute(others_did[0][0].url(page)) if others_did else None,
    )


def _fill(digests, pages):
    """Give each digest its entries; the revisions of all of them come in one query."""
    until = max(digest.until for digest in digests)
    windows = [window for digest in digests for window in digest.windows]
    changes = _changes_of(windows, until)
    happenings = {}
    for source in _sources:
        for page_id, items in source.happenings(_earliest(windows), until).items():
            happenings.setdefault(page_id, []).extend((source, item) for item in items)
    for digest in digests:
        entries = []
        for window in digest.windows:
            page = pages.get(window.page_id)
            if page is None:
                continue
            metas = [meta for meta in changes.get(window.page_id, []) if meta.revision.created_at <= digest.until]
            done = [(source, h) for source, h in happenings.get(window.page_id, []) if h.at <= digest.until]
            entry = _entry(digest.user, page, window, metas, done)
            if entry is not None:
                entries.append(entry)
        digest.entries = entries
    return [digest for digest in digests if digest.entries]


def pending_digests(now=None):
    """The digests due at `now`: one per member with followed pages changed by others, entries by page title.

    A constant number of queries per batch of BATCH_SIZE members.
    """
    now = now or timezone.now()
    by_user = {}
    for row in _due_follows(now):
        digest = by_user.get(row.user_id)
        if digest is None:
            digest = by_user[row.user_id] = Digest(user=row.user, until=now, windows=[])
        digest.windows.append(
            Window(
                follow_id=row.pk,
                page_id=row.page_id,
                since=row.since,
                notified_until=row.notified_until,
                base_revision_id=row.base_revision_id,
            )
        )
        digest.pages[row.page_id] = row.page
    digests = list(by_user.values())
    result = []
    for start in range(0, len(digests), BATCH_SIZE):
        batch = digests[start : start + BATCH_SIZE]
        pages = {page_id: page for digest in batch for page_id, page in digest.pages.items()}
        result.extend(_fill(batch, pages))
    return result


def digest_for(user, windows, until):
    """Rebuild a queued digest from its windows, as the database is now (hidden summaries stay out)."""
    pages = Page.objects.live().filter(pk__in=[window.page_id for window in windows])
    pages = {page.pk: page for page in visibility.visible(pages, user)}
    digest = Digest(user=user, until=until, windows=windows)
    return next(iter(_fill([digest], pages)), None)


def send_digests(now=None):
    """Queue one digest email per member with changes to read; returns how many were queued.

    For each member, the follows are locked and their window is moved on to
    `now` in the same transaction as the queueing: if queueing fails, nothing
    moves and the next run tries again; if another run got there first (its
    notified_until differs from what we read), this one skips the member.
    """
    from wiki import tasks

    now = now or timezone.now()
    queued = 0
    for digest in pending_digests(now):
        ids = [window.follow_id for window in digest.windows]
        with transaction.atomic():
            current = dict(
                PageFollow.objects.select_for_update().filter(pk__in=ids).values_list("pk", "notified_until")
            )
            if any(current.get(window.follow_id, 0) != window.notified_until for window in digest.windows):
                continue
            PageFollow.objects.filter(pk__in=ids).update(notified_until=now)
            tasks.send_digest.enqueue(
                digest.user.pk, now.isoformat(), [window.as_task_argument() for window in digest.windows]
            )
        queued += 1
    return queued


def release(user_id, windows, until):
    """Give back windows whose email failed, so that the next run sends them again."""
    for window in windows:
        PageFollow.objects.filter(user_id=user_id, page_id=window.page_id, notified_until=until).update(
            notified_until=window.since
        )
