"""Atom feeds of the wiki: the history of one page."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from wiki import services
from wiki.templatetags.wiki_tags import revision_action, signed

FEED_LENGTH = 50


def _pseudonym(revision):
    user = revision.user
    member = getattr(user, "member", None) if user else None
    return member.pseudonym if member else _("unknown")


def _describe(revision):
    meta = getattr(revision, "wiki_meta", None)
    if meta is None:
        return ""
    parts = [revision_action(meta), meta.summary]
    parts.append(_("%(change)s characters") % {"change": signed(meta.size_change)})
    return " · ".join(part for part in parts if part)


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
            revision.previous_id = older.pk if older else None
            revision.wiki_page = page
        return revisions[:FEED_LENGTH]

    def item_title(self, revision):
        return _("Version #%(id)s by %(who)s") % {"id": revision.pk, "who": _pseudonym(revision)}

    def item_description(self, revision):
        return _describe(revision)

    def item_link(self, revision):
        url = revision.wiki_page.get_url(self.request)
        if revision.previous_id:
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
