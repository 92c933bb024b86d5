"""The one HTML allowlist of Quartiers: everything residents write goes through `clean`.

This is the only module that imports bleach. The Markdown renderer
(wiki.markup) produces HTML from what residents type, and that HTML, raw HTML
typed inside the Markdown included, is cleaned here before anyone sees it.

What survives: headings, paragraphs, lists, links (http, https, mailto and
relative URLs), emphasis, tables, images served from the site's own media
(MEDIA_URL, on this site or an object storage's domain) with their responsive
`srcset`, quotes, code, and what the renderer emits for photos and videos:
figures with captions, a photo gallery, a video's click-to-load placeholder
(`div.video-embed` whose `data-embed` is an https address; the page's CSP
`frame-src` decides which providers may load). An image whose address the
allowlist refuses, or without an alt attribute, goes entirely (an <img> with neither is
invalid HTML and says nothing to a screen reader). Everything else is stripped; the content of
elements that are never text (script, style, svg, math, iframe...) is dropped
with them rather than shown as text.
"""

import re
import threading
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter
from django.conf import settings

ALLOWED_TAGS = frozenset(
    {
        "h1", "h2", "h3", "h4", "h5", "h6",
        "p", "br", "hr",
        "ul", "ol", "li",
        "a",
        "em", "strong", "b", "i", "del", "sub", "sup",
        "table", "thead", "tbody", "tr", "th", "td", "caption",
        "img",
        "blockquote",
        "code", "pre",
        "figure", "figcaption", "div",
    }
)  # fmt: skip

# Elements removed together with everything inside them.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
        "noscript", "noembed", "noframes", "xmp", "textarea", "select", "option", "svg", "math",
        "title", "head", "audio", "video", "canvas", "plaintext",
    }
)  # fmt: skip

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Classes the renderer itself sets on links; any other class is removed.
LINK_CLASSES = frozenset({"wiki-link", "new"})
# Classes of the renderer's photo and video blocks (wiki.markup, gallery.render).
BLOCK_CLASSES = {"figure": frozenset({"photo"}), "div": frozenset({"photo-gallery", "video-embed"})}
IMAGE_LOADING = {"loading": frozenset({"lazy", "eager"}), "decoding": frozenset({"async", "auto", "sync"})}
SRCSET_ITEM = re.compile(r"\s*(\S+)\s+([1-9][0-9]{0,4}w)\s*")
SIZES = re.compile(r"[a-z0-9()\s:.,-]{1,200}")
EMBED_URL = re.compile(r"https://[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?/[A-Za-z0-9/_.?=&%-]{0,300}")
ALIGNMENTS = frozenset({"left", "right", "center"})
# A heading's id also names a global of the page's scripts (window.<id>): lower case, starting with
# a letter and not with "on", so it never shadows a global like `__xss`, `L`, Leaflet's `L_NO_TOUCH`
# or fakes an event a script looks for (`"ontouchstart" in window`).
HEADING_ID = re.compile(r"(?!on)[a-z][a-z0-9_-]{0,63}")


def is_own_media_url(url):
    """True for an image served by this site from MEDIA_URL ('/media/...' or the site's absolute URL)."""
    media = settings.MEDIA_URL
    if not media.startswith("/"):
        # Media on an object storage's own domain (MEDIA_URL=https://media.example.fr/): under that address only.
        absolute = urlsplit(media)
        parts = urlsplit(url.strip())
        return (
            absolute.scheme in ("https", "http")
            and (parts.scheme, parts.netloc) == (absolute.scheme, absolute.netloc)
            and parts.path.startswith(absolute.path)
            and ".." not in parts.path
            and "\\" not in url
        )
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc:
        site = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return False
    path = parts.path
    return path.startswith(media) and ".." not in path and "\\" not in url


def _is_own_srcset(value):
    items = value.split(",")
    return 0 < len(items) <= 8 and all(
        (match := SRCSET_ITEM.fullmatch(item)) and is_own_media_url(match.group(1)) for item in items
    )


def _allow_attribute(tag, name, value):
    if tag == "a":
        if name in ("href", "title"):
            return True
        if name == "class":
            return set(value.split()) <= LINK_CLASSES
        return False
    if tag == "img":
        if name in ("alt", "title", "width", "height"):
            return True
        if name in IMAGE_LOADING:
            return value in IMAGE_LOADING[name]
        if name == "srcset":
            return _is_own_srcset(value)
        if name == "sizes":
            return SIZES.fullmatch(value) is not None
        return name == "src" and is_own_media_url(value)
    if tag in BLOCK_CLASSES:
        if name == "class":
            return value in BLOCK_CLASSES[tag]
        return tag == "div" and name == "data-embed" and EMBED_URL.fullmatch(value) is not None
    if tag in ("th", "td"):
        return name == "align" and value in ALIGNMENTS
    if tag in ("ol",):
        return name == "start" and value.isdigit()
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return name == "id" and HEADING_ID.fullmatch(value) is not None
    return False


ALLOWED_ATTRIBUTES = dict.fromkeys(ALLOWED_TAGS, _allow_attribute)


class DropDangerousContent(Filter):
    """Remove DROPPED_WITH_CONTENT elements and everything inside them.

    The sanitizer lets those elements through (with no attribute) only so this
    filter can see where they start and end; nothing of them reaches the output.
    """

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            name = (token.get("name") or "").lower()
            if name in DROPPED_WITH_CONTENT:
                if kind == "StartTag":
                    depth += 1
                    continue
                if kind == "EndTag":
                    depth = max(0, depth - 1)
                    continue
                if kind == "EmptyTag":
                    continue
            if depth == 0:
                yield token


class DropRefusedImages(Filter):
    """An <img> left without src (refused) or without alt is removed, not kept empty."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img":
                attributes = token["data"]
                if not attributes.get((None, "src")) or (None, "alt") not in attributes:
                    continue
            yield token


class MarkExternalLinks(Filter):
    """Links to other sites get rel="nofollow ugc noopener": residents wrote them."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                parts = urlsplit(token["data"].get((None, "href"), "").strip())
                if parts.scheme.lower() in ("http", "https") or (not parts.scheme and parts.netloc):
                    token["data"][(None, "rel")] = "nofollow ugc noopener"
            yield token


_local = threading.local()


def _cleaner():
    """One Cleaner per thread (bleach's parser keeps state)."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[DropDangerousContent, DropRefusedImages, MarkExternalLinks],
        )
    return cleaner


def clean(html):
    """Return `html` with only the allowlisted tags, attributes and URLs left."""
    return _cleaner().clean(html)
