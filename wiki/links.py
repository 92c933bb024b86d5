"""Wiki links between pages: resolving titles, the PageLink table, "what links here".

A title matches a live page of the territory whatever its case, spaces or
underscores. When several pages share a title ("Le Bourg" exists in three
communes), the one closest to the linking page in the tree wins: the one that
shares the most ancestors with it, then the shallowest, then the oldest.
"""

import hashlib
import os
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from members import visibility
from wiki import markup, territory
from wiki.markup import MAX_RESOLVED_LINKS, clean_title, title_key
from wiki.models import PageLink

MAX_WHAT_LINKS_HERE = 200
HTML_CACHE_SECONDS = 60 * 60 * 24


def _spellings(title):
    """Exact spellings to look for besides the case-insensitive match.

    SQLite only folds the case of ASCII letters; these catch "été" for "Été".
    """
    return {title, title.lower(), title.upper(), title.capitalize(), title.title(), title[:1].upper() + title[1:]}


def _shared_depth(page, near):
    if near is None or not near.path:
        return 0
    return len(os.path.commonprefix([page.path, near.path])) // Page.steplen


def find_pages(titles, near=None):
    """{title key: live Page} for the titles that name a page of the territory (one query)."""
    wanted = {}
    for title in titles:
        title = clean_title(title)
        if title:
            wanted.setdefault(title_key(title), title)
    if not wanted:
        return {}
    condition = Q()
    for title in wanted.values():
        condition |= Q(title__iexact=title) | Q(title__in=_spellings(title))
    best = {}
    for page in Page.objects.live().filter(depth__gt=1).filter(condition):
        key = title_key(page.title)
        if key not in wanted:
            continue
        rank = (-_shared_depth(page, near), page.depth, page.pk)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, page)
    return {key: page for key, (_rank, page) in best.items()}


def new_page_url(place, title, request=None):
    if place is None:
        return None
    return f"{place.get_url(request)}new/?{urlencode({'title': title})}"


class LiveResolver:
    """Looks titles up among the live pages (previews, new pages, the link table).

    A page the reader may not see (a private page, members.visibility) resolves
    as if it did not exist: a red link, so that a link does not tell that the
    page exists, nor its address.
    """

    def __init__(self, near, request=None):
        self.near = near
        self.request = request
        self._place = False
        self._hidden = None

    def readable(self, page):
        if self._hidden is None:
            self._hidden = visibility.hidden_paths(getattr(self.request, "user", None))
        return not any(page.path.startswith(path) for path in self._hidden)

    def resolve(self, titles):
        return {
            key: page.get_url(self.request)
            for key, page in find_pages(titles, near=self.near).items()
            if self.readable(page)
        }

    def new_page_url(self, title):
        if self._place is False:
            self._place = territory.nearest_place(self.near)
        return new_page_url(self._place, title, self.request)


class StoredResolver(LiveResolver):
    """Uses the page's PageLink rows (one query); titles missing from them are looked up live."""

    def __init__(self, page, request=None):
        super().__init__(page, request)
        self.page = page
        self.looked_up_live = False
        self._stored = None

    def stored_urls(self):
        """{title key: URL of the live target, or None for a red link}, from the PageLink rows."""
        if self._stored is None:
            self._stored = {
                link.target_key: link.target.get_url(self.request)
                if link.target and link.target.live and self.readable(link.target)
                else None
                for link in PageLink.objects.filter(source=self.page).select_related("target")
            }
        return self._stored

    def resolve(self, titles):
        stored = self.stored_urls()
        urls, unknown = {}, []
        for title in titles:
            key = title_key(title)
            if key not in stored:
                unknown.append(title)
            elif stored[key]:
                urls[key] = stored[key]
        if unknown:
            self.looked_up_live = True
            urls.update(super().resolve(unknown))
        return urls


def render_page_body(page, request=None):
    """The page's HTML, cached: the key covers the text, the place and where each link leads."""
    resolver = StoredResolver(page, request)
    fingerprint = "\0".join(
        [get_language() or "", page.url_path or "", page.body or "", repr(sorted(resolver.stored_urls().items()))]
    )
    key = f"wiki:html:{page.pk}:{hashlib.sha256(fingerprint.encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = markup.render(page.body, resolver)
        if not resolver.looked_up_live:  # the link table was complete: the key says it all
            cache.set(key, str(html), HTML_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - produced by markup.render, which cleans it


def render_preview(body, near, request=None):
    return markup.render(body, LiveResolver(near, request))


def update_links(page):
    """Rebuild the PageLink rows of `page` from its body."""
    titles = markup.wiki_link_titles(page.body or "")[:MAX_RESOLVED_LINKS]
    found = find_pages(titles, near=page)
    PageLink.objects.filter(source=page).delete()
    PageLink.objects.bulk_create(
        PageLink(
            source_id=page.pk,
            target=found.get(title_key(title)),
            target_title=title[:255],
            target_key=title_key(title)[:255],
        )
        for title in titles
    )


def link_to_new_title(page):
    """Red links to the title of `page` (just created or renamed) now lead to it."""
    PageLink.objects.filter(target__isnull=True, target_key=title_key(page.title)).update(target=page)


def what_links_here(page, user=None):
    """Live pages whose text links to `page` and that `user` may see (None: the public), by title (one query)."""
    from members import visibility

    links = (
        visibility.visible(PageLink.objects.filter(target=page, source__live=True), user, "source")
        .select_related("source")
        .order_by("source__title", "source_id")[:MAX_WHAT_LINKS_HERE]
    )
    seen, sources = set(), []
    for link in links:
        if link.source_id not in seen:
            seen.add(link.source_id)
            sources.append(link.source)
    return sources
