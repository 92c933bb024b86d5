"""Atom feeds of the wiki: the history of one page, the recent changes of the territory."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from wiki import changes, services, territory
from wiki.templatetags.wiki_tags import revision_action, signed

FEED_LENGTH = 50


def _hidden(revision):
    return getattr(getattr(revision, "wiki_meta", None), "hidden", False)


def _pseudonym(revision):
    user = revision.user
    member = getattr(user, "member", None) if user else None
    return member.pseudonym if member else _("unknown")


def _describe(revision):
    """The revision in one line, as the HTML of the entry's summary: what residents typed is escaped."""
    meta = getattr(revision, "wiki_meta", None)
    if meta is None:
        return ""
    if meta.hidden:  # feeds are public: never the summary of a hidden revision
        parts = [revision_action(meta), _("(content hidden by a moderator)")]
    else:
        parts = [revision_action(meta), meta.summary, _("%(change)s characters") % {"change": signed(meta.size_change)}]
    return escape(" · ".join(part for part in parts if part))


class PageHistoryFeed(Feed):
    """The latest revisions of a page (`<page url>history/feed/`)."""

    feed_type = Atom1Feed

    def get_object(self, request, page):
        self.request = request
        return page

    def title(self, page):
        return _("History of “%(title)s”") % {"title": page.title}

    def link(self, page):
        return page.get_url(self.request) + "history/"

    def subtitle(self, page):
        return _("Every version of the page on Quartiers.")

    def items(self, page):
        revisions = list(
            services.page_revisions(page)
            .select_related("user__member", "wiki_meta")
            .defer("content")
            .order_by("-pk")[: FEED_LENGTH + 1]
        )
        for revision, older in zip(revisions, revisions[1:] + [None], strict=True):
            revision.previous_id = older.pk if older and not _hidden(older) else None
            revision.wiki_page = page
        return revisions[:FEED_LENGTH]

    def item_title(self, revision):
        return _("Version #%(id)s by %(who)s") % {"id": revision.pk, "who": _pseudonym(revision)}

    def item_description(self, revision):
        return _describe(revision)

    def item_link(self, revision):
        url = revision.wiki_page.get_url(self.request)
        if revision.previous_id and not _hidden(revision):
            return f"{url}diff/{revision.previous_id}/{revision.pk}/"
        return f"{url}history/#v{revision.pk}"

    def item_guid(self, revision):
        return self.request.build_absolute_uri(f"{revision.wiki_page.get_url(self.request)}history/#v{revision.pk}")

    def item_guid_is_permalink(self, revision):
        return False

    def item_pubdate(self, revision):
        return revision.created_at

    def item_updateddate(self, revision):
        return revision.created_at

    def item_author_name(self, revision):
        return _pseudonym(revision)


class RecentChangesFeed(Feed):
    """`/recent-changes/feed/`, with the same filters as the page (?commune=<slug>, ?new=1)."""

    feed_type = Atom1Feed

    def get_object(self, request):
        self.request = request
        return {
            "commune": territory.commune_from(request.GET.get("commune")),
            "new_pages_only": request.GET.get("new") == "1",
        }

    def title(self, filters):
        title = _("New pages") if filters["new_pages_only"] else _("Recent changes")
        if filters["commune"]:
            title = _("%(what)s in %(commune)s") % {"what": title, "commune": filters["commune"].title}
        return f"{title} · Quartiers"

    def link(self, filters):
        query = {}
        if filters["commune"]:
            query["commune"] = filters["commune"].slug
        if filters["new_pages_only"]:
            query["new"] = "1"
        url = reverse("wiki:recent-changes")
        return f"{url}?{urlencode(query)}" if query else url

    def items(self, filters):
        return list(
            changes.recent_changes(
                user=self.request.user, place=filters["commune"], new_pages_only=filters["new_pages_only"]
            )[:FEED_LENGTH]
        )

    def item_title(self, meta):
        return _("%(title)s: version #%(id)s by %(who)s") % {
            "title": meta.page.title,
            "id": meta.revision_id,
            "who": _pseudonym(meta.revision),
        }

    def item_description(self, meta):
        meta.revision.wiki_meta = meta
        return _describe(meta.revision)

    def item_link(self, meta):
        if meta.hidden:
            return f"{meta.page.get_url(self.request)}history/#v{meta.revision_id}"
        return f"{meta.page.get_url(self.request)}changes/{meta.revision_id}/"

    def item_guid(self, meta):
        return self.request.build_absolute_uri(f"{meta.page.get_url(self.request)}history/#v{meta.revision_id}")

    def item_guid_is_permalink(self, meta):
        return False

    def item_pubdate(self, meta):
        return meta.revision.created_at

    def item_updateddate(self, meta):
        return meta.revision.created_at

    def item_author_name(self, meta):
        return _pseudonym(meta.revision)
