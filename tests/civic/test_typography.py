"""civic.typography: French spacing before « : ; ! ? » and inside « », in French only, text only."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail as outbox
from django.core.mail import EmailMultiAlternatives
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from civic import mail, typography
from civic.middleware import FrenchTypographyMiddleware

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Bonjour !", f"Bonjour{NBSP}!"),
        ("Horaires : 8 h", f"Horaires{NBSP}: 8 h"),
        ("Vraiment ?", f"Vraiment{NBSP}?"),
        ("un ; deux", f"un{NBSP}; deux"),
        ("« Le Bourg »", f"«{NBSP}Le Bourg{NBSP}»"),
        (f"Déjà{NBSP}!", f"Déjà{NBSP}!"),  # already right: unchanged
        ("10:30, https://x.fr/?a=1", "10:30, https://x.fr/?a=1"),  # no space, nothing to do
    ],
)
def test_text_gets_non_breaking_spaces(before, after):
    assert typography.text(before) == after


def test_tags_attributes_and_raw_elements_are_untouched():
    source = (
        '<p title="Question ?" data-x="a : b">Bienvenue !<br><a href="/?q=a ;b">Voir ?</a></p>'
        "<pre>x = 1 ; y ?</pre><code>a : b</code><textarea>Je garde mon texte !</textarea>"
        "<script>if (a ? b : c) {}</script><p>Après :</p>"
    )
    result = typography.html(source)
    assert result == (
        f'<p title="Question ?" data-x="a : b">Bienvenue{NBSP}!<br><a href="/?q=a ;b">Voir{NBSP}?</a></p>'
        "<pre>x = 1 ; y ?</pre><code>a : b</code><textarea>Je garde mon texte !</textarea>"
        f"<script>if (a ? b : c) {{}}</script><p>Après{NBSP}:</p>"
    )


@pytest.mark.parametrize(
    "hostile",
    ["<" * 200_000, "<a " * 100_000, "a !" * 100_000, "<pre>" * 50_000 + " !", "<!--" + " ?" * 100_000],
)
def test_cost_is_linear(hostile):
    start = time.perf_counter()
    typography.html(hostile)
    typography.html(hostile * 2)
    assert time.perf_counter() - start < 2


def test_french_only():
    assert typography.applies("fr") and typography.applies("fr-be")
    assert not typography.applies("en") and not typography.applies(None)


def middleware_response(language, body, content_type="text/html; charset=utf-8", path="/"):
    with translation.override(language):
        middleware = FrenchTypographyMiddleware(lambda request: HttpResponse(body, content_type=content_type))
        return middleware(RequestFactory().get(path))


def test_the_middleware_spaces_french_pages_only():
    assert middleware_response("fr", "<p>Oui !</p>").content.decode() == f"<p>Oui{NBSP}!</p>"
    assert middleware_response("en", "<p>Yes !</p>").content.decode() == "<p>Yes !</p>"
    assert middleware_response("fr", '{"a": "Oui !"}', "application/json").content.decode() == '{"a": "Oui !"}'
    assert middleware_response("fr", "<p>Oui !</p>", path="/admin/").content.decode() == "<p>Oui !</p>"


TEXT_NODE = re.compile(r">([^<]*)<")


@pytest.mark.django_db
def test_a_french_page_has_no_breakable_space_before_punctuation(client, territory):
    for url in ("/", "/lormont/", "/accounts/login/", "/leaderboard/"):
        html = client.get(url).text
        body = re.sub(r"<(script|style|pre|code|textarea)\b.*?</\1>", "", html, flags=re.S)
        bad = [text for text in TEXT_NODE.findall(body) if re.search(r" [:;!?»]|« ", text)]
        assert not bad, (url, bad[:5])


@pytest.mark.django_db
def test_english_pages_keep_ordinary_spaces(client, territory):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("fr"):  # the middleware activates English: leave French to the next test
        html = client.get("/accounts/login/").text
    assert "Skip to main content" in html
    assert NBSP + "?" not in html and NBSP + ":" not in html


def test_the_template_filter_follows_the_language():
    template = Template("{{ value|typography }}|{{ safe|typography }}")
    context = Context({"value": "Oui ! <b>", "safe": mark_safe('<b title="a ?">Oui !</b>')})
    with translation.override("fr"):
        assert template.render(context) == f'Oui{NBSP}! &lt;b&gt;|<b title="a ?">Oui{NBSP}!</b>'
    with translation.override("en"):
        assert template.render(context) == 'Oui ! &lt;b&gt;|<b title="a ?">Oui !</b>'


@pytest.mark.django_db
def test_french_emails_get_french_spacing_and_english_ones_do_not():
    for language in ("fr", "en"):
        message = EmailMultiAlternatives("Atelier : demain", "Venez !", to=["a@example.fr"])
        message.attach_alternative('<p title="x ?">Venez !</p>', "text/html")
        with translation.override(language):
            mail.send(message, kind="test")
    french, english = outbox.outbox
    assert french.subject == f"Atelier{NBSP}: demain"
    assert french.body == f"Venez{NBSP}!"
    assert french.alternatives[0].content == f'<p title="x ?">Venez{NBSP}!</p>'
    assert (english.subject, english.body) == ("Atelier : demain", "Venez !")
