"""Counts read right in both languages: "1 habitant invité", "11 habitants invités", never "(s)"."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import ngettext

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"

CASES = [
    (
        "%(count)s resident invited to %(workshop)s.",
        "%(count)s residents invited to %(workshop)s.",
        {"workshop": "Génicart"},
        ("1 habitant invité à Génicart.", "11 habitants invités à Génicart."),
        ("1 resident invited to Génicart.", "11 residents invited to Génicart."),
    ),
    (
        "The text is too long: %(size)d character, at most %(max)d.",
        "The text is too long: %(size)d characters, at most %(max)d.",
        {"max": 10, "size": None},
        (f"Le texte est trop long{NBSP}: 1 caractère, pour 10 au plus.", None),
        ("The text is too long: 1 character, at most 10.", "The text is too long: 11 characters, at most 10."),
    ),
    (
        "%(count)d version marked as patrolled.",
        "%(count)d versions marked as patrolled.",
        {},
        ("1 version marquée comme relue.", "11 versions marquées comme relues."),
        ("1 version marked as patrolled.", "11 versions marked as patrolled."),
    ),
    (
        "%(count)s invitation queued.",
        "%(count)s invitations queued.",
        {},
        ("1 invitation en file d’envoi.", "11 invitations en file d’envoi."),
        ("1 invitation queued.", "11 invitations queued."),
    ),
]


@pytest.mark.parametrize(("singular", "plural", "values", "french", "english"), CASES)
@pytest.mark.parametrize("number", [1, 11])
def test_one_and_eleven_in_french_and_english(singular, plural, values, french, english, number):
    params = {**values, "count": number}
    if "size" in values:
        params["size"] = number
    for language, expected in (("fr", french), ("en", english)):
        with translation.override(language):
            text = ngettext(singular, plural, number) % params
        wanted = expected[0 if number == 1 else 1]
        if wanted is None:
            assert "caractères" in text and "11" in text
        else:
            assert text == wanted


def test_no_template_or_python_writes_a_plural_in_brackets():
    sources = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.txt")]
    for app in ("civic", "members", "wiki", "workshops", "discussion", "demo"):
        sources += (ROOT / app).glob("**/*.py")
    brackets = re.compile(r"\b(?!https?\()\w+\((?:s|e|es)\)")  # "page(s)", "invité(e)"; not "http(s)"
    found = [str(path) for path in sources if brackets.search(path.read_text(encoding="utf-8"))]
    assert not [path for path in found if "/migrations/" not in path]


def test_no_french_message_writes_a_plural_or_gender_in_brackets():
    text = (ROOT / "locale/fr/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, re.M)
    assert not [line for line in msgstrs if re.search(r"\w\((s|e|es)\)", line)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("seconds", "french", "english"),
    [(60, "toutes les minutes", "every minute"), (660, "toutes les 11 minutes", "every 11 minutes")],
)
def test_the_leaderboard_says_how_often_it_is_updated(client, territory, settings, seconds, french, english):
    settings.LEADERBOARD_CACHE_SECONDS = seconds
    assert french in client.get("/leaderboard/").text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("fr"):
        assert english in client.get("/leaderboard/").text
