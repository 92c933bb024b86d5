"""Atom feeds of the selection "À la une": the home page's, a theme's, a commune's (see wiki/feeds.py)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from gallery.selection import current_items


class FeaturedFeed(Feed):
    """The items shown now; public, so visibility is an anonymous visitor's."""

    feed_type = Atom1Feed

    def get_object(self, request, slug=None, commune_id=None):
        from wiki.models import CommunePage
        from wiki.themes import theme_from

        self.request = request
        if slug is not None:
            theme = theme_from(slug)
            if theme is None:
                raise Http404
            return {"theme": theme}
        if commune_id is not None:
            return {"commune": get_object_or_404(CommunePage.objects.live().public(), pk=commune_id)}
        return {}

    def title(self, place):
        where = place.get("theme") or place.get("commune")
        return _("À la une: %(place)s") % {"place": where} if where else _("À la une")

    def link(self, place):
        if "theme" in place:
            from django.urls import reverse

            return reverse("wiki:theme", args=[place["theme"].slug])
        if "commune" in place:
            return place["commune"].url or "/"
        return "/"

    def items(self, place):
        return current_items(**place, user=None)

    def item_title(self, item):
        return item.shown_title

    def item_link(self, item):
        if item.page_id:
            return item.page.get_url(self.request) or "/"
        if item.photo_id:
            return self.request.build_absolute_uri("/") + f"#photo-{item.photo_id}"
        return item.url

    def item_guid(self, item):
        return f"selection-item-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        parts = [item.comment]
        if item.url:
            parts.append(" · ".join(part for part in (item.domain, item.source) if part))
        return " — ".join(part for part in parts if part)

    def item_pubdate(self, item):
        return item.starts_at
