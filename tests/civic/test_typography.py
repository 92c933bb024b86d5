"""civic.typography: French spacing before « : ; ! ? » and inside « », in French only, text only."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail as outbox
from django.core.mail import EmailMessage
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from civic import mail, typography

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


@pytest.mark.parametrize("unit", ["<", "<a ", "a !", "<pre>", "<!-- ?", "<code> ; </pre>"])
def test_cost_is_linear(unit):
    """Four times the input costs about four times as much (a quadratic cost would be sixteen)."""

    def seconds(repeat):
        start = time.perf_counter()
        typography.html(unit * repeat + " !")
        return time.perf_counter() - start

    small = min(seconds(25_000) for _ in range(3))
    large = min(seconds(100_000) for _ in range(3))
    assert large < 10 * small + 0.2  # generous: the machine may be busy


def test_french_only():
    assert typography.applies("fr") and typography.applies("fr-be")
    assert not typography.applies("en") and not typography.applies(None)


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


@pytest.mark.parametrize(
    ("msgid", "french"),
    [
        ("Forgot your password?", f"Mot de passe oublié{NBSP}?"),  # allauth's catalogue
        ("Enter a valid date/time.", "Saisissez une date et une heure valides."),  # nothing to do
    ],
)
def test_every_french_catalogue_gets_french_spacing(msgid, french):
    with translation.override("fr"):
        assert gettext(msgid) == french
    with translation.override("en"):
        assert gettext(msgid) == msgid


def test_the_whole_french_catalogue_follows_the_rule():
    with translation.override("fr"):
        catalogue = translation.trans_real.translation("fr")._catalog
        wrong = [message for _key, message in catalogue.items() if typography.text(message) != message]
    assert not wrong


def test_after_a_change_of_settings_the_catalogue_is_fixed_again(settings):
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]  # empties Django's translations
    with translation.override("fr"):
        assert gettext("Forgot your password?") == f"Mot de passe oublié{NBSP}?"


def test_the_colon_tag_follows_the_language():
    template = Template('{% load i18n %}{% translate "History" %}{% colon %} /x/')
    with translation.override("fr"):
        assert template.render(Context()) == f"Historique{NBSP}: /x/"
    with translation.override("en"):
        assert template.render(Context()) == "History: /x/"


@pytest.mark.django_db
def test_a_french_header_keeps_its_non_breaking_space():
    mail.send(EmailMessage(f"Atelier{NBSP}: demain", "x", to=["a@example.fr"]), kind="test")
    assert outbox.outbox[0].subject == f"Atelier{NBSP}: demain"
