"""Searching the territory: wiki pages, projects, communes, neighbourhoods, and what higher apps
register (the workshops). Wagtail search; French stemming on PostgreSQL.

Results come from Wagtail's database search backend; each says where it is
(commune, neighbourhood) and shows an excerpt: where the words of the query
appear in the page's text, as readers see it (Markdown rendered by the one
renderer, then its tags stripped: no `**` or `[[...]]` left), highlighted with <mark>.
"""

import html
import re
import unicodedata

from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Page

from members import visibility
from wiki import markup, territory
from wiki.models import CommunePage, NeighbourhoodPage, ProjectPage, WikiPage

QUERY_MAX_LENGTH = 200
QUERY_MAX_WORDS = 20
EXCERPT_LENGTH = 240


def clean_query(text):
    """The words of what a visitor typed, and nothing else, at most QUERY_MAX_WORDS of them.

    The search backends do not escape their query languages: a `"` is an unterminated
    string for SQLite's full-text search, and PostgreSQL refuses NUL in any text. Only
    words (letters and digits of any script) reach them.
    """
    words = re.findall(r"\w+", (text or "")[: QUERY_MAX_LENGTH * 2].replace("_", " "))
    return " ".join(words[:QUERY_MAX_WORDS])[:QUERY_MAX_LENGTH].strip()


# The page types search finds. Apps above wiki add theirs with `register` (workshops: WorkshopPage).
SEARCHED_TYPES = [WikiPage, ProjectPage, CommunePage, NeighbourhoodPage]


def register(page_model):
    """Let search find the pages of `page_model` too (called from a higher app's AppConfig.ready)."""
    if page_model not in SEARCHED_TYPES:
        SEARCHED_TYPES.append(page_model)


def search_pages(query, user):
    """Live pages of the searched types matching `query` that `user` may see, best first (lazy Wagtail result)."""
    pages = visibility.visible_in_search(Page.objects.live().type(*SEARCHED_TYPES), user)
    return pages.search(clean_query(query))


def locations(pages):
    """{page id: (commune title or None, neighbourhood title or None)}: where each page is, in one query.

    A page under a commune (and a neighbourhood) is placed by its path; a page
    elsewhere that names a commune (a workshop's `commune`) is placed there.
    """
    wanted_paths = set()
    commune_ids = set()
    for page in pages:
        wanted_paths.add(page.path[: territory.COMMUNE_DEPTH * Page.steplen])
        wanted_paths.add(page.path[: territory.NEIGHBOURHOOD_DEPTH * Page.steplen])
        if getattr(page, "commune_id", None):
            commune_ids.add(page.commune_id)
    places = (
        Page.objects.type(CommunePage, NeighbourhoodPage)
        .filter(Q(path__in=wanted_paths) | Q(pk__in=commune_ids))
        .values_list("pk", "path", "title")
    )
    by_path, by_id = {}, {}
    for pk, path, title in places:
        by_path[path] = by_id[pk] = title
    found = {}
    for page in pages:
        commune = neighbourhood = None
        if page.depth > territory.COMMUNE_DEPTH:
            commune = by_path.get(page.path[: territory.COMMUNE_DEPTH * Page.steplen])
        if page.depth > territory.NEIGHBOURHOOD_DEPTH:
            neighbourhood = by_path.get(page.path[: territory.NEIGHBOURHOOD_DEPTH * Page.steplen])
        if commune is None:
            commune = by_id.get(getattr(page, "commune_id", None))
        found[page.pk] = (commune, neighbourhood)
    return found


def specific_pages(pages):
    """The specific pages of a page of results, in the same order (one query per page type)."""
    by_id = {page.pk: page for page in Page.objects.filter(pk__in=[page.pk for page in pages]).specific()}
    return [by_id[page.pk] for page in pages if page.pk in by_id]


def _fold(text):
    """Lower case without accents, keeping the length (so positions match the original text)."""
    return "".join(
        (unicodedata.normalize("NFKD", char)[0] if char.isalpha() else char).lower()[:1] or char for char in text
    )


def _stems(query):
    """What to look for: each word of the query, shortened a little (marchés -> march)."""
    words = [word for word in re.findall(r"\w+", _fold(query)) if len(word) > 1]
    return sorted({word if len(word) <= 4 else word[: max(4, len(word) - 2)] for word in words}, key=len, reverse=True)


def excerpt(text, query, length=EXCERPT_LENGTH):
    """A window of `text` around the first word of `query` found, matches wrapped in <mark>."""
    stems = _stems(query)
    folded = _fold(text)
    pattern = re.compile(r"\b(" + "|".join(re.escape(stem) for stem in stems) + r")\w*") if stems else None
    first = pattern.search(folded) if pattern else None
    start = 0
    if first:
        start = max(0, first.start() - length // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window, folded_window = text[start:end], folded[start:end]
    pieces, position = [], 0
    for match in pattern.finditer(folded_window) if pattern else ():
        pieces.append(escape(window[position : match.start()]))
        pieces.append(f"<mark>{escape(window[match.start() : match.end()])}</mark>")
        position = match.end()
    pieces.append(escape(window[position:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # every piece of text is escaped above


# Markdown rendered for an excerpt: this much source around the first match, at most.
SOURCE_WINDOW = 3000


def rendered_text(source, query):
    """The text readers see of the Markdown `source` near the first word of `query`: rendered by wiki.markup,
    tags stripped. Only a window of SOURCE_WINDOW characters is rendered, from the start of its paragraph:
    the cost is bounded whatever the length of the page."""
    source = markup.normalise_source(source)
    start = 0
    if len(source) > SOURCE_WINDOW:
        stems = _stems(query)
        first = re.search(r"\b(" + "|".join(re.escape(stem) for stem in stems) + ")", _fold(source)) if stems else None
        if first:
            start = max(0, first.start() - SOURCE_WINDOW // 3)
            paragraph = source.rfind("\n\n", start, first.start())
            start = paragraph + 2 if paragraph >= 0 else start
    return text_of_html(markup.render(source[start : start + SOURCE_WINDOW]))


def text_of_html(markup_html):
    """Plain text of cleaned HTML (a rendered page, a rich text field): tags stripped, entities decoded."""
    return " ".join(html.unescape(strip_tags(markup_html)).split())


def result_text(page, query):
    """The text of a result in which to find the excerpt: the page's body, introduction or description."""
    if isinstance(getattr(page, "body", None), str):
        return rendered_text(page.body, query)
    for name in ("introduction", "description"):
        value = getattr(page, name, None)
        if value:
            return text_of_html(str(value)[: SOURCE_WINDOW * 2])
    return ""


def result_excerpt(page, query):
    return excerpt(result_text(page, query), query)
