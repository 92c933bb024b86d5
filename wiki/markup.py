"""The one Markdown renderer of Quartiers.

Residents write Markdown (CommonMark, with tables); `render` turns it into
HTML cleaned by the one allowlist (wiki.sanitize). Wiki links `[[Page title]]`
and `[[Page title|label]]` are resolved by a *resolver* given by the caller
(wiki.links), all at once after parsing, so a page with many links costs one
query. A link to a missing page is a "red link" (class `new`) to the form that
creates it with the title prefilled.

Photos and videos: `![alt](photo:12)` or `![alt](photo:12 "caption")` places a
photo of the site, and a line holding only the address of a video of an
allowed provider embeds it behind a click. Both are resolved by a *media
source* the app holding them registers (`register_media`, gallery.render): one
call for every photo of the text, so a page with many photos costs one query.
A paragraph holding only photos is a figure, or a gallery when there are
several. A photo hidden by a moderator or gone shows as a short notice.

Bounded cost: the parser is markdown-it-py, which runs in time linear in the
size of the text, CommonMark's pathological inputs included (thousands of `[`,
nested emphasis, quotes or backticks); nesting deeper than MAX_NESTING is
left as text. The rules added here (wiki links, bare URLs, table alignment)
look at each character a bounded number of times, and so do the regular
expressions of `plain_text`. tests/wiki/test_pathological.py pins it.
"""

import functools
import html
import re

from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from wiki import sanitize

# `[[Title]]` or `[[Title|label]]`: no brackets, pipes or line breaks in the title. Neither part can
# contain a bracket, so a failed match stops at the next bracket: each character is read a bounded
# number of times whatever the text.
WIKI_LINK_RE = re.compile(r"\[\[([^\[\]|\n]{1,255}?)(?:\|([^\[\]\n]{1,255}?))?\]\]")
# A bare URL not written inside an attribute or a Markdown link; ends before closing punctuation.
BARE_URL_RE = re.compile(r"(?<![\w/\"'=(\[<])https?://[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]")
MAX_RESOLVED_LINKS = 300  # distinct titles resolved per page; further ones stay plain text
# Blocks (quotes, lists) and inline elements nested deeper than this stay text: no reader needs
# more, it bounds the depth of the HTML the sanitiser walks, and the parser's work for each `[`
# grows with it.
MAX_NESTING = 10
_ALIGN_STYLE = re.compile(r"text-align:(left|right|center)")
# Raw HTML typed in the text goes to the sanitiser, whose HTML5 parser takes time growing faster than
# the text on deeply nested or misnested tags. Beyond these, the page's raw HTML is shown as text.
MAX_RAW_HTML_TAGS = 5000
MAX_RAW_HTML_DEPTH = 100
# The sanitiser spends most of the time of a render, about in proportion to the number of elements.
# A text of more tokens than this (a dense 100,000-character page of prose makes about 16,000) is
# shown as plain paragraphs: thousands of table cells or code spans then cost no more than text.
MAX_TOKENS = 40_000
_RAW_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_MARKUP_TOKENS = frozenset({"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"})


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


PHOTO_SRC_RE = re.compile(r"photo:([1-9][0-9]{0,11})")
MAX_PHOTOS = 200  # distinct photos placed per page; further ones show as unavailable


class NoMedia:
    """A media source that knows no photo and no video provider."""

    def photos(self, ids):
        """{id: photo} for the ids that name a photo anyone may see: an object with `html(alt, caption, block)`."""
        return {}

    def video(self, url):
        """The HTML of the click-to-load placeholder of a video at `url`, or None when it is not allowed."""
        return None

    def fingerprint(self):
        """Changes whenever a text naming the same photos and videos would render differently (for caches)."""
        return ""


_media = [NoMedia()]


def register_media(source):
    """The app that holds photos and video providers (gallery) gives the renderer its media source."""
    _media[0] = source


def media_source():
    return _media[0]


def _wiki_link(state, silent):
    """Inline rule, tried before Markdown's links: `[[Title]]` or `[[Title|label]]` becomes a `wikilink` token."""
    if state.linkLevel > 0 or not state.src.startswith("[[", state.pos):
        return False
    match = WIKI_LINK_RE.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    title = clean_title(match.group(1))
    if not title:
        return False
    if not silent:
        token = state.push("wikilink", "a", 0)
        token.meta = {"title": title}
        token.content = (match.group(2) or "").strip() or title
    state.pos = match.end()
    return True


def _bare_urls(state):
    """Core rule: a bare http(s) URL in the text becomes a link (not inside code or another link).

    Each inline token's children are rebuilt once, so a paragraph of many URLs stays linear.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children or "://" not in block.content:
            continue
        children, link_depth = [], 0
        for token in block.children:
            if token.type == "link_open" or (token.type == "html_inline" and _opens_link(token.content)):
                link_depth += 1
            elif token.type == "link_close" or (token.type == "html_inline" and _closes_link(token.content)):
                link_depth = max(0, link_depth - 1)
            if token.type != "text" or link_depth or "://" not in token.content:
                children.append(token)
                continue
            children.extend(_split_urls(state, token))
        block.children = children


def _opens_link(html_tag):
    return re.match(r"<a[>\s]", html_tag, re.IGNORECASE) is not None


def _closes_link(html_tag):
    return re.match(r"</a\s*>", html_tag, re.IGNORECASE) is not None


def _split_urls(state, token):
    text, position, parts = token.content, 0, []
    for match in BARE_URL_RE.finditer(text):
        if match.start() > position:
            parts.append(_text_token(text[position : match.start()], token.level))
        link = Token("link_open", "a", 1, level=token.level)
        link.attrs = {"href": state.md.normalizeLink(match.group())}
        parts += [link, _text_token(match.group(), token.level + 1), Token("link_close", "a", -1, level=token.level)]
        position = match.end()
    if position < len(text):
        parts.append(_text_token(text[position:], token.level))
    return parts


def _text_token(content, level):
    token = Token("text", "", 0, level=level)
    token.content = content
    return token


def _table_alignment(state):
    """Core rule: table cells say their alignment with `align`, the attribute the sanitiser allows."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            match = _ALIGN_STYLE.fullmatch(str(token.attrs.pop("style")))
            if match:
                token.attrs["align"] = match.group(1)


def _limit_inline_nesting(state):
    """Core rule: emphasis nested deeper than MAX_NESTING stays as its `*` or `_` (`*a *a *a ... a* a* a*`)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth, dropped = block.children, 0, []
        for index, token in enumerate(children):
            if token.nesting == 1:
                drop = depth >= MAX_NESTING
                dropped.append(drop)
                depth += not drop
            elif token.nesting == -1:
                drop = dropped.pop() if dropped else False
                depth -= not drop
            else:
                continue
            if drop:
                children[index] = _text_token(token.markup if token.type in _MARKUP_TOKENS else "", token.level)


def _raw_html_within_budget(tokens):
    """Is the raw HTML of the text small and shallow enough for the sanitiser (see MAX_RAW_HTML_TAGS)?"""
    count = depth = 0
    for token in _raw_html_tokens(tokens):
        for match in _RAW_TAG.finditer(token.content):
            count += 1
            if count > MAX_RAW_HTML_TAGS:
                return False
            if match.group(2).lower() in _VOID_TAGS or match.group(3):
                continue
            depth = max(0, depth - 1) if match.group(1) else depth + 1
            if depth > MAX_RAW_HTML_DEPTH:
                return False
    return True


def _raw_html_tokens(tokens):
    for token in tokens:
        if token.type == "html_block":
            yield token
        elif token.type == "inline" and token.children:
            yield from (child for child in token.children if child.type == "html_inline")


def _render_wiki_link(renderer, tokens, index, options, env):
    token = tokens[index]
    label = escapeHtml(token.content)
    if "href" not in token.attrs:
        return label  # a link to nowhere: its label as text
    return f"<a{renderer.renderAttrs(token)}>{label}</a>"


def _photo_id(token):
    if token.type != "image":
        return None
    match = PHOTO_SRC_RE.fullmatch(str(token.attrs.get("src", "")))
    return int(match.group(1)) if match else None


def _is_blank(token):
    return token.type in ("softbreak", "hardbreak") or (token.type == "text" and not token.content.strip())


def _lone_url(inline):
    """The URL of a paragraph holding only one bare link whose text is its address, else None."""
    children = [child for child in inline.children or () if not _is_blank(child)]
    if len(children) == 3 and children[0].type == "link_open" and children[2].type == "link_close":
        href = str(children[0].attrs.get("href", ""))
        if children[1].type == "text" and children[1].content.strip() in (href, href.rstrip("/")):
            return href
    return None


def _resolve_media(tokens, media):
    """Give every photo its data (one call to the media source); paragraphs of photos or of one video become blocks."""
    images = [
        child
        for block in tokens
        if block.type == "inline" and block.children
        for child in block.children
        if _photo_id(child) is not None
    ]
    wanted = list(dict.fromkeys(_photo_id(image) for image in images))[:MAX_PHOTOS]
    found = media.photos(wanted) if wanted else {}
    for image in images:
        image.meta = {"photo": found.get(_photo_id(image)), "photo_id": _photo_id(image)}
    result, index = [], 0
    while index < len(tokens):
        token = tokens[index]
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type == "paragraph_open" and inline is not None and inline.type == "inline" and not token.hidden:
            children = [child for child in inline.children or () if not _is_blank(child)]
            if children and all("photo_id" in child.meta for child in children):
                block = Token("photo_block", "", 0, level=token.level)
                block.children = children
                result.append(block)
                index += 3
                continue
            url = _lone_url(inline)
            if url and (video := media.video(url)):
                block = Token("video_block", "", 0, level=token.level)
                block.content = video
                result.append(block)
                index += 3
                continue
        result.append(token)
        index += 1
    return result


def _photo_html(image, *, block):
    photo = image.meta.get("photo")
    if photo is None:
        notice = escapeHtml(gettext("Photo unavailable"))
        return f"<p><em>{notice}</em></p>" if block else f"<em>{notice}</em>"
    alt = "".join(child.content for child in image.children or ()) if image.children else image.content
    return photo.html(alt=alt.strip(), caption=str(image.attrs.get("title", "") or ""), block=block)


def _render_image(renderer, tokens, index, options, env):
    token = tokens[index]
    if "photo_id" in token.meta:
        return _photo_html(token, block=False)
    return renderer.image(tokens, index, options, env)  # markdown-it's own: an image of the site's media


def _render_photo_block(renderer, tokens, index, options, env):
    figures = "".join(_photo_html(image, block=True) for image in tokens[index].children)
    if len(tokens[index].children) == 1:
        return figures + "\n"
    return f'<div class="photo-gallery">{figures}</div>\n'


def _render_video_block(renderer, tokens, index, options, env):
    return tokens[index].content + "\n"


def _parser(*, raw_html=True):
    md = MarkdownIt("commonmark", {"html": raw_html, "xhtmlOut": False, "maxNesting": MAX_NESTING})
    md.enable("table")
    md.inline.ruler.before("link", "wikilink", _wiki_link)
    md.core.ruler.push("bare_urls", _bare_urls)
    md.core.ruler.push("table_alignment", _table_alignment)
    md.core.ruler.push("limit_inline_nesting", _limit_inline_nesting)
    md.add_render_rule("wikilink", _render_wiki_link)
    md.add_render_rule("photo_block", _render_photo_block)
    md.add_render_rule("video_block", _render_video_block)
    md.add_render_rule("image", _render_image)
    return md


# The parser holds only its rules; each call parses into its own state, so threads can share it.
MARKDOWN = _parser()
MARKDOWN_WITHOUT_HTML = _parser(raw_html=False)
PLAIN_PARAGRAPHS = MarkdownIt("zero")  # paragraphs of text, nothing else


def _wiki_link_tokens(tokens):
    for block in tokens:
        if block.type == "inline" and block.children:
            yield from (token for token in block.children if token.type == "wikilink")


def _resolve_wiki_links(tokens, resolver):
    """Give every wiki link token its target, with one call to the resolver."""
    links = list(_wiki_link_tokens(tokens))
    titles = {}
    for token in links:
        titles.setdefault(title_key(token.meta["title"]), token.meta["title"])
    wanted = dict(list(titles.items())[:MAX_RESOLVED_LINKS])
    urls = resolver.resolve(list(wanted.values())) if wanted else {}
    for token in links:
        title = token.meta["title"]
        key = title_key(title)
        if key in urls:
            token.attrs = {"class": "wiki-link", "href": urls[key]}
        elif key in wanted and (create_url := resolver.new_page_url(title)):
            token.attrs = {
                "class": "wiki-link new",
                "href": create_url,
                "title": gettext("%(title)s (page not written yet)") % {"title": title},
            }


def normalise_source(text):
    """Line endings as \\n and no trailing blank space: browsers send \\r\\n from textareas."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def parse(source):
    """(tokens, env) of the source; its raw HTML as text over MAX_RAW_HTML_TAGS, all of it as text over MAX_TOKENS."""
    env, text = {}, normalise_source(source)
    if text.count("|") > MAX_TOKENS // 3:  # as table cells, they would be over the budget: spare parsing them
        return PLAIN_PARAGRAPHS.parse(text, env), env
    tokens = MARKDOWN.parse(text, env)
    if not _raw_html_within_budget(tokens):
        env = {}
        tokens = MARKDOWN_WITHOUT_HTML.parse(text, env)
    if len(tokens) + sum(len(token.children or ()) for token in tokens) > MAX_TOKENS:
        env = {}
        tokens = PLAIN_PARAGRAPHS.parse(text, env)
    return tokens, env


def render(source, resolver=None, media=None):
    """Markdown source -> safe, cleaned HTML (`media`: the photos and videos, by default the registered source)."""
    tokens, env = parse(source)
    _resolve_wiki_links(tokens, resolver or NoPages())
    tokens = _resolve_media(tokens, media or media_source())
    html_text = MARKDOWN.renderer.render(tokens, MARKDOWN.options, env).rstrip("\n")
    return mark_safe(sanitize.clean(html_text))  # noqa: S308 (cleaned just above)


def wiki_link_titles(source):
    """The distinct titles the source links to, in order of first appearance (code excluded)."""
    return list(_wiki_link_titles(normalise_source(source)))


@functools.lru_cache(maxsize=8)
def _wiki_link_titles(text):
    # Saving a page reads its links more than once (Wagtail saves the page, then publishes it).
    titles = {}
    for token in _wiki_link_tokens(parse(text)[0]):
        titles.setdefault(title_key(token.meta["title"]), token.meta["title"])
    return tuple(titles.values())


def _table_ruler(match):
    line = match.group()
    return " " if "|" in line and "-" in line else line


# Each pattern stops at the character that would open the next match (or is possessive), so none
# of them backtracks over a long run: linear in the length of the text.
_PLAIN_TEXT_RULES = [
    (re.compile(r"<[^<>\n]*>"), " "),  # raw HTML tags
    (re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)"), r"\1"),  # images: their alt text
    (re.compile(r"\[\[([^\[\]|\n]+)\|([^\[\]\n]+)\]\]"), r"\2"),  # [[Title|label]]
    (re.compile(r"\[\[([^\[\]|\n]+)\]\]"), r"\1"),  # [[Title]]
    (re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)"), r"\1"),  # [text](url)
    (re.compile(r"^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d{1,9}\.)[ \t]++", re.MULTILINE), ""),  # headings, quotes, lists
    (re.compile(r"^[ \t:|-]++$", re.MULTILINE), _table_ruler),  # table rulers
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
