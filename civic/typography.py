"""French typography, in one place: a non-breaking space before « : ; ! ? » and inside « ».

French puts a space before the high punctuation marks and inside guillemets, and the
line must never break there ("Bonjour" at the end of a line and "!" alone on the next).
Translators type that space in the catalogue, residents type an ordinary one, and
strings are joined in templates ("{{ label }} :"): rather than chase every string,
`FrenchTypographyMiddleware` (civic.middleware) passes each French HTML page once
through `html`, and civic.mail passes each French email through `text`/`html`.
English is never touched.

`html` changes text only: tags and their attributes are copied as they are, and so is
the content of elements that are not prose (script, style, pre, code, kbd, samp,
textarea: what a resident edits must come back byte for byte). Cost is linear in the
size of the input: one pass over the tags, one substitution per text run.
"""

import re

NBSP = "\u00a0"
# Ordinary spaces (and tabs) before a high punctuation mark or a closing guillemet.
_SPACE_BEFORE = re.compile(r"[ \t]+(?=[:;!?»])")
# Ordinary spaces after an opening guillemet.
_SPACE_AFTER = re.compile(r"(?<=«)[ \t]+")
# A tag, a comment or a doctype: from "<" to the next ">", never across another "<"
# (so a stray "<" costs nothing more than a character of text).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)?[^<>]*>")
RAW_ELEMENTS = frozenset({"script", "style", "pre", "code", "kbd", "samp", "textarea"})


def text(value):
    """Plain text with French spacing: `Bonjour !` gets a non-breaking space before `!`."""
    if not value:
        return value
    return _SPACE_AFTER.sub(NBSP, _SPACE_BEFORE.sub(NBSP, value))


def html(markup):
    """HTML with French spacing in its text; tags, attributes and raw elements unchanged."""
    if not markup:
        return markup
    out = []
    position = 0
    raw = None  # the raw element we are inside, if any: its content is copied as is
    for match in _TAG.finditer(markup):
        start, end = match.span()
        if start > position:
            chunk = markup[position:start]
            out.append(chunk if raw else text(chunk))
        out.append(match.group(0))
        name = (match.group(2) or "").lower()
        closing = match.group(1) == "/"
        if raw is None and not closing and name in RAW_ELEMENTS and not match.group(0).endswith("/>"):
            raw = name
        elif raw is not None and closing and name == raw:
            raw = None
        position = end
    if position < len(markup):
        chunk = markup[position:]
        out.append(chunk if raw else text(chunk))
    return "".join(out)


def applies(language):
    """French spacing applies to French ("fr", "fr-be"...) and to nothing else."""
    return (language or "").lower().split("-")[0] == "fr"
