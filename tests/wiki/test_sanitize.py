"""wiki.sanitize: the one allowlist. A first dozen XSS payloads; the full corpus comes later."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from wiki.markup import render
from wiki.sanitize import ALLOWED_TAGS, clean, is_own_media_url


class ExecutableContent(HTMLParser):
    """Parses HTML as a browser would and lists whatever could run or load something."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "srcset"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src") and urlsplit((value or "").strip()).scheme.lower() not in (
                "",
                "http",
                "https",
                "mailto",
            ):
                self.found.append(f"{tag}[{name}={value}]")


def executable(html):
    parser = ExecutableContent()
    parser.feed(html)
    parser.close()
    return parser.found


PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<a href="jav&#x09;ascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<<script>script>alert(1)<</script>/script>",
    '<p onclick="alert(1)" style="position:fixed">texte</p>',
    "[[<script>alert(1)</script>]]",
    "[[Page|<img src=x onerror=alert(1)>]]",
    '<form action="https://evil.example/"><input name="q"><button>go</button></form>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_leaves_nothing_executable(payload):
    html = str(render(payload))
    assert executable(html) == [], html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cleaning_is_stable(payload):
    once = clean(str(render(payload)))
    assert clean(once) == once


def test_script_content_is_dropped_not_shown():
    assert clean("<script>alert('x')</script><p>ok</p>") == "<p>ok</p>"


def test_the_allowlist_keeps_what_residents_need():
    html = (
        "<h2>Titre</h2><p><em>a</em> <strong>b</strong> <code>c</code></p>"
        '<ul><li>un</li></ul><ol start="3"><li>trois</li></ol><blockquote><p>cit</p></blockquote>'
        '<pre><code>x = 1</code></pre><table><thead><tr><th align="left">h</th></tr></thead>'
        "<tbody><tr><td>d</td></tr></tbody></table>"
        '<a href="/lormont/">relatif</a> <a href="mailto:mairie@example.fr">mail</a>'
    )
    assert clean(html).replace(' rel="nofollow ugc noopener"', "") == html


def test_links_keep_only_safe_protocols_and_external_links_are_marked():
    assert clean('<a href="ftp://example.fr/x">f</a>') == "<a>f</a>"
    assert clean('<a href="https://example.fr/">e</a>') == (
        '<a href="https://example.fr/" rel="nofollow ugc noopener">e</a>'
    )
    assert clean('<a href="/x" rel="opener" target="_blank">i</a>') == '<a href="/x">i</a>'


def test_entities_in_code_are_escaped_once():
    html = "<pre><code>&lt;b&gt; &amp;</code></pre>"
    assert clean(html) == html


@pytest.mark.parametrize(
    ("src", "kept"),
    [
        ("/media/images/parc.jpg", True),
        ("http://127.0.0.1:8000/media/images/parc.jpg", True),
        ("https://evil.example/media/x.png", False),
        ("//evil.example/media/x.png", False),
        ("/static/x.png", False),
        ("/media/../secret", False),
        ("data:image/png;base64,AAAA", False),
        ("javascript:alert(1)", False),
    ],
)
def test_images_only_from_the_sites_media(src, kept, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert is_own_media_url(src) is kept
    html = clean(f'<img src="{src}" alt="parc">')
    assert (f'src="{src}"' in html) is kept


def test_unknown_classes_and_attributes_are_removed():
    assert clean('<a href="/x" class="wiki-link new">x</a>') == '<a href="/x" class="wiki-link new">x</a>'
    assert clean('<a href="/x" class="button evil">x</a>') == '<a href="/x">x</a>'
    assert clean('<h2 id="x" class="y" style="color:red">t</h2>') == '<h2 id="x">t</h2>'


@pytest.mark.parametrize(
    "html",
    [
        '<p>a<img src="https://evil.example/x.png" alt="x">b</p>',
        '<p>a<img src="javascript:alert(1)" alt="x">b</p>',
        "<p>a<img src=x onerror=alert(1)>b</p>",
        '<p>a<img src="/media/images/parc.jpg">b</p>',  # no alt
        '<p>a<img alt="parc">b</p>',  # no src
        '<p>a<img src="" alt="parc">b</p>',
    ],
)
def test_an_image_the_allowlist_refuses_goes_entirely(html):
    assert clean(html) == "<p>ab</p>"


def test_an_image_with_its_alt_from_the_media_stays():
    kept = '<img src="/media/images/parc.jpg" alt="">'
    assert clean(kept) == kept
    assert clean('![Le parc](/media/images/parc.jpg "Le parc")') == '![Le parc](/media/images/parc.jpg "Le parc")'
