"""Searching the wiki pages and projects (Wagtail search; French stemming on PostgreSQL).

Results come from Wagtail's database search backend; the excerpt shows where
the words of the query appear in the page's text, highlighted with <mark>.
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page

from members import visibility
from wiki.markup import plain_text
from wiki.models import ProjectPage, WikiPage

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


def search_pages(query, user):
    """Live wiki pages and projects matching `query` that `user` may see, best first (a lazy Wagtail search result)."""
    pages = visibility.visible_in_search(Page.objects.live().type(WikiPage, ProjectPage), user)
    return pages.search(clean_query(query))


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


def result_excerpt(page, query):
    return excerpt(plain_text(page.body), query)
