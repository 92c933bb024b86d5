"""The one Markdown renderer of Quartiers.

Residents write Markdown (with tables and fenced code); `render` turns it into
HTML cleaned by the one allowlist (wiki.sanitize). Wiki links `[[Page title]]`
and `[[Page title|label]]` are resolved by a *resolver* given by the caller
(wiki.links), all at once after parsing, so a page with many links costs one
query. A link to a missing page is a "red link" (class `new`) to the form that
creates it with the title prefilled.
"""

import html
import re
import xml.etree.ElementTree as etree

import markdown
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from wiki import sanitize

# `[[Title]]` or `[[Title|label]]`: no brackets, pipes or line breaks in the title.
WIKI_LINK_RE = r"\[\[([^\[\]|\n]{1,255}?)(?:\|([^\[\]\n]{1,255}?))?\]\]"
# A bare URL not written inside an attribute or a Markdown link; ends before closing punctuation.
BARE_URL_RE = r"(?<![\w/\"'=(\[<])(https?://[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?])"
MARKER = "data-wikilink"
MAX_RESOLVED_LINKS = 300  # distinct titles resolved per page; further ones stay plain text


def title_key(title):
    """The form of a title used to match wiki links: case, spaces and underscores do not matter."""
    return " ".join(title.replace("_", " ").split()).casefold()


def clean_title(title):
    return " ".join(title.replace("_", " ").split())


class NoPages:
    """A resolver that knows no page (every wiki link is red) and offers no creation link."""

    def resolve(self, titles):
        return {}

    def new_page_url(self, title):
        return None


class _WikiLinkPattern(InlineProcessor):
    def handleMatch(self, m, data):
        title = clean_title(m.group(1))
        if not title:
            return None, None, None
        label = (m.group(2) or "").strip() or title
        link = etree.Element("a")
        link.set(MARKER, title)
        link.text = AtomicString(label)
        return link, m.start(0), m.end(0)


class _BareUrlPattern(InlineProcessor):
    """A bare http(s) URL in the text becomes a link (not inside code or another link)."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, m, data):
        link = etree.Element("a")
        link.set("href", m.group(1))
        link.text = AtomicString(m.group(1))
        return link, m.start(0), m.end(0)


class _WikiLinkResolver(Treeprocessor):
    """Resolve every wiki link of the document with one call to the resolver."""

    def __init__(self, md, extension):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        links = [element for element in root.iter("a") if element.get(MARKER) is not None]
        titles = {}
        for element in links:
            titles.setdefault(title_key(element.get(MARKER)), element.get(MARKER))
        self.extension.titles.extend(titles.values())
        resolver = self.extension.resolver
        wanted = dict(list(titles.items())[:MAX_RESOLVED_LINKS])
        urls = resolver.resolve(list(wanted.values())) if wanted else {}
        for element in links:
            title = element.attrib.pop(MARKER)
            key = title_key(title)
            if key in urls:
                element.set("href", urls[key])
                element.set("class", "wiki-link")
            elif key in wanted and (create_url := resolver.new_page_url(title)):
                element.set("href", create_url)
                element.set("class", "wiki-link new")
                element.set("title", gettext("%(title)s (page not written yet)") % {"title": title})
            else:
                element.tag = "span"  # stripped by the sanitizer, the label stays as text
        return None


class WikiLinkExtension(markdown.Extension):
    def __init__(self, resolver, **kwargs):
        self.resolver = resolver
        self.titles = []
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # After code spans and escapes, before Markdown's own [reference] links.
        md.inlinePatterns.register(_WikiLinkPattern(WIKI_LINK_RE, md), "wikilink", 175)
        md.inlinePatterns.register(_BareUrlPattern(BARE_URL_RE, md), "bare_url", 115)
        # After the inline patterns (20) ran.
        md.treeprocessors.register(_WikiLinkResolver(md, self), "wikilink_resolver", 15)


def _markdown(resolver):
    extension = WikiLinkExtension(resolver)
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", extension],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return md, extension


def normalise_source(text):
    """Line endings as \\n and no trailing blank space: browsers send \\r\\n from textareas."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def render(source, resolver=None):
    """Markdown source -> safe, cleaned HTML."""
    md, _extension = _markdown(resolver or NoPages())
    return mark_safe(sanitize.clean(md.convert(normalise_source(source))))  # noqa: S308 (cleaned just above)


def wiki_link_titles(source):
    """The distinct titles the source links to, in order of first appearance (code excluded)."""
    md, extension = _markdown(NoPages())
    md.convert(normalise_source(source))
    return extension.titles


_PLAIN_TEXT_RULES = [
    (re.compile(r"<[^>\n]*>"), " "),  # raw HTML tags
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # images: their alt text
    (re.compile(r"\[\[([^\[\]|\n]+)\|([^\[\]\n]+)\]\]"), r"\2"),  # [[Title|label]]
    (re.compile(r"\[\[([^\[\]|\n]+)\]\]"), r"\1"),  # [[Title]]
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # [text](url)
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.MULTILINE), ""),  # headings, quotes, list markers
    (re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$", re.MULTILINE), " "),  # table rulers
    (re.compile(r"\*{1,3}|_{2,3}|`{1,3}|~~"), ""),  # emphasis, code
    (re.compile(r"\|"), " "),  # table cells
]


def plain_text(source, limit=None):
    """The words of a page without Markdown (for excerpts and feeds); fast, no rendering."""
    text = normalise_source(source)
    for pattern, replacement in _PLAIN_TEXT_RULES:
        text = pattern.sub(replacement, text)
    text = " ".join(html.unescape(text).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
