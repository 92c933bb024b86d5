"""French typography, in one place: a non-breaking space before « : ; ! ? » and inside « ».

French puts a space before the high punctuation marks and inside guillemets, and a line
must never break there ("Bonjour" at the end of a line, "!" alone on the next). English
has no such space. Where the French of Quartiers comes from, and how it gets the rule:

- the catalogues (every template string, message, error and email of the site, ours in
  locale/fr/ as well as Django's, Wagtail's and allauth's): `install` passes each French
  message once through `text` when the process loads them (civic.apps), so a translator
  may type an ordinary space, a third-party "Mot de passe oublié ?" is fixed too, and a
  page pays nothing when it renders;
- a template that joins a translated label and punctuation writes `{% colon %}`
  (": " in English, NBSP + ": " in French), and a dynamic French string can go through
  the `typography` filter (civic.templatetags.quartiers, both builtins);
- what residents write (titles, pages, comments) is shown exactly as they typed it:
  diffs, search excerpts, the edit form and its preview stay faithful to the stored text.

`text` and `html` are the one function (html changes only text: tags, attributes and
the content of script, style, pre, code, kbd, samp and textarea are copied as they are).
Cost is linear in the size of the input.
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


def apply_to_catalogue(translation):
    """Give every message of a loaded Django translation French spacing, in place (its own and
    those merged from Django, Wagtail, allauth...). Returns how many messages changed."""
    changed = 0
    for catalogue in getattr(translation._catalog, "_catalogs", [translation._catalog]):
        for key, message in catalogue.items():
            if isinstance(message, str) and (fixed := text(message)) != message:
                catalogue[key] = fixed
                changed += 1
    return changed


# Settings whose change makes Django reload its translations (django.test.signals).
TRANSLATION_SETTINGS = frozenset({"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"})


def install(setting=None, **_signal_kwargs):
    """Load the French translations of the site's languages with French spacing (civic.apps; again
    after a test changes LANGUAGES or LOCALE_PATHS, which empties Django's cache of translations)."""
    from django.conf import settings
    from django.utils.translation import trans_real

    if setting is not None and setting not in TRANSLATION_SETTINGS:
        return
    for code, _name in settings.LANGUAGES:
        translation = trans_real.translation(code) if applies(code) else None
        if translation is not None and not getattr(translation, "french_spacing", False):
            apply_to_catalogue(translation)
            translation.french_spacing = True


def applies(language):
    """French spacing applies to French ("fr", "fr-be"...) and to nothing else."""
    return (language or "").lower().split("-")[0] == "fr"
