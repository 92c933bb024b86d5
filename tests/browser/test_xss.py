"""The XSS corpus in chromium, with the CSP switched off: the sanitiser must hold on its own.

Pages carry the whole corpus of tests/wiki/test_xss_corpus.py (many payloads
each, one of them saved through the edit form in the browser); their view,
history and a diff are opened, every element of the content is hovered,
clicked (links excepted: the browser's own URL parser checks where they lead)
and focused, and the keyboard tabs through the page. No dialog may open,
`window.__xss` (set by every payload) must stay undefined, and the DOM must hold
nothing executable. A last pass with the CSP on checks that nothing even tried.
"""

import re

import pytest
from wagtail.models import Site

from tests.browser.test_wiki import sign_in
from tests.wiki.test_xss_corpus import CONTENT_REGIONS, PAYLOADS, TEXT_PAYLOADS
from wiki import services
from wiki.models import ProjectPage, WikiPage, WikiSettings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = 4
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")

# Everything in the document that could run script or load something foreign, read by the browser itself.
INSPECT = """() => {
  const found = [];
  const unsafe = new Set(["javascript:", "vbscript:", "data:", "livescript:"]);
  const never = ["iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "style",
                 "template", "portal", "audio", "video", "noscript", "marquee"];
  const protocol = (value) => { try { return new URL(value, document.baseURI).protocol; } catch (e) { return ""; } };
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    const inMap = element.closest(".leaflet-container") !== null;
    if (never.includes(tag) && !(inMap && tag === "svg")) found.push(`<${tag}>`);
    if (tag === "script" && (!element.src || new URL(element.src).origin !== location.origin)) {
      found.push(`<script> ${element.src || "inline"}`);
    }
    if (tag === "meta" && (element.httpEquiv || !element.closest("head"))) found.push("<meta> in the body");
    const action = new URL(element.getAttribute("action") || "", document.baseURI);  // form.action may be an input
    if (tag === "form" && action.origin !== location.origin) found.push(`<form> ${action}`);
    if (tag === "img" && !inMap && new URL(element.src || location.href).origin !== location.origin) {
      found.push(`<img> ${element.src}`);
    }
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      // The site's own photo picker posts to this site (formaction) and its photos list renditions of
      // this site (srcset): allowed when every address they hold is of this origin.
      const sameOrigin = (value) => new URL(value, document.baseURI).origin === location.origin;
      const ownFormaction = name === "formaction" && sameOrigin(attribute.value);
      const ownSrcset = name === "srcset"
        && attribute.value.split(",").every((item) => sameOrigin(item.trim().split(" ")[0]));
      if (name.startsWith("on") || ["style", "srcdoc", "srcset", "formaction"].includes(name)) {
        if (!(inMap && name === "style") && !ownFormaction && !ownSrcset) found.push(`<${tag}> ${name}`);
      }
      if (["href", "src", "action", "data", "poster", "xlink:href", "background"].includes(name)
          && unsafe.has(protocol(attribute.value))) {
        found.push(`<${tag}> ${name}=${attribute.value}`);
      }
    }
  }
  return found;
}"""

# The centre of the n-th element of the content, scrolled into view; whether clicking it would follow a link.
TARGET = """([selector, index]) => {
  const element = document.querySelectorAll(selector)[index];
  if (!element) return null;
  element.scrollIntoView({block: "center", inline: "center"});
  const box = element.getBoundingClientRect();
  if (!box.width || !box.height) return null;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  const hit = document.elementFromPoint(x, y);  // what a click there would reach
  const follows = "a, button, label, summary, select, input, textarea, [role=button]";
  const link = hit === null || hit.closest(follows) !== null || element.closest(follows) !== null;
  return [x, y, link];
}"""


@pytest.fixture
def no_rate_limits(territory):
    wiki_settings = WikiSettings.for_site(Site.objects.get(is_default_site=True))
    for limit in ("edits_per_hour", "edits_per_hour_new", "pages_per_day", "pages_per_day_new"):
        setattr(wiki_settings, limit, 0)
    wiki_settings.save()


def chunks(items, count):
    size = -(-len(items) // count)
    return [items[start : start + size] for start in range(0, len(items), size)]


@pytest.fixture
def corpus_pages(territory, resident, no_rate_limits):
    """PAGES wiki pages, each first written plainly then edited to carry its share of the corpus."""
    pages = []
    for number, payloads in enumerate(chunks(PAYLOADS, PAGES)):
        title = TEXT_PAYLOADS[number]
        page = services.create_page(resident, territory["genicart"], f"Page {number}", f"Avant {number}.", "")
        base = page.latest_revision_id
        body = f"Avant {number}.\n\n" + "\n\n".join(payloads) + "\n\nAprès."
        summary = " ".join(payloads[0].split())[:255]
        services.edit_page(
            resident,
            WikiPage.objects.get(pk=page.pk),
            base_revision_id=base,
            title=f"{title} {number}",
            body=body,
            summary=summary,
        )
        page = WikiPage.objects.get(pk=page.pk)
        pages.append((page, base))
    return pages


@pytest.fixture
def hostile_project(territory, resident, no_rate_limits):
    """A located project titled with every text payload: the title reaches Leaflet's marker."""
    title = " ".join(TEXT_PAYLOADS)[:250]
    return services.create_page(
        resident,
        territory["carriet"],
        title,
        "\n\n".join(PAYLOADS[:20]),
        TEXT_PAYLOADS[1],
        page_type="project",
        facts={"latitude": "44.88", "longitude": "-0.52"},
    )


@pytest.fixture
def csp_off(browser, live_server):
    """A context whose pages ignore the CSP: whatever the sanitiser let through would run."""
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1024, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield watch(page)
    context.close()


def watch(page):
    page.dialogs = []

    def dismiss(dialog):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.route(OUTSIDE, lambda route: route.abort())  # nothing leaves the machine (tiles, evil.example)
    return page


def assert_nothing_ran(page, url):
    page.wait_for_timeout(200)  # late events: failed images, meta refresh, timers
    assert page.dialogs == [], f"{url}: dialogs {page.dialogs}"
    assert page.evaluate("typeof window.__xss") == "undefined", f"{url}: window.__xss was set"
    assert page.evaluate("typeof parent.__xss") == "undefined"
    assert page.url.endswith(url), f"navigated away from {url} to {page.url}"


def exercise(page, url):
    """Open `url`, check the DOM, then hover, click and focus everything in the content, and tab through."""
    page.goto(url)
    page.wait_for_load_state("load")
    found = page.evaluate(INSPECT)
    assert found == [], f"{url}: {found}"
    assert_nothing_ran(page, url)

    selector = ", ".join(f"{region}, {region} *" for region in CONTENT_REGIONS.split(", "))
    count = page.evaluate("(selector) => document.querySelectorAll(selector).length", selector)
    assert count > 0, f"{url}: no content found"
    for index in range(count):
        target = page.evaluate(TARGET, [selector, index])
        if target is None:
            continue
        x, y, is_link = target
        page.mouse.move(x, y)
        if not is_link:
            page.mouse.click(x, y)
    page.evaluate(
        """(selector) => document.querySelectorAll(selector).forEach((element) => {
            element.focus(); element.blur();
        })""",
        selector,
    )
    page.evaluate("document.body.focus()")
    for _ in range(page.evaluate("document.querySelectorAll('a, button, input, select, textarea, [tabindex]').length")):
        page.keyboard.press("Tab")
    assert_nothing_ran(page, url)
    assert page.evaluate(INSPECT) == []


def test_the_corpus_runs_nothing_with_the_csp_off(csp_off, corpus_pages, hostile_project):
    for wiki_page, base in corpus_pages:
        exercise(csp_off, wiki_page.url)
        exercise(csp_off, f"{wiki_page.url}history/")
        exercise(csp_off, f"{wiki_page.url}diff/{base}/{wiki_page.latest_revision_id}/")
    exercise(csp_off, "/recent-changes/")
    exercise(csp_off, "/search/?q=Avant")
    exercise(csp_off, hostile_project.url)
    # Leaflet received the hostile title as text: the marker's title is the title, nothing else ran.
    marker = csp_off.locator(".leaflet-marker-icon")
    assert marker.get_attribute("title") == ProjectPage.objects.get(pk=hostile_project.pk).title


def test_the_edit_form_in_the_browser_then_the_csp_reports_nothing(page, territory, resident, no_rate_limits):
    """Paste a share of the corpus into the real form; with the CSP on, nothing even tries to break it."""
    watch(page)
    page.add_init_script(
        """window.__violations = [];
        document.addEventListener("securitypolicyviolation",
          (event) => window.__violations.push(event.violatedDirective + " " + event.blockedURI));"""
    )
    wiki_page = services.create_page(resident, territory["genicart"], "Le marché", "Le samedi.", "")
    sign_in(page, resident.email, f"{wiki_page.url}edit/")
    page.locator("input[name=title]").fill(TEXT_PAYLOADS[0])
    page.locator("textarea[name=body]").fill("Avant.\n\n" + "\n\n".join(PAYLOADS[::3]))
    page.locator("input[name=summary]").fill(TEXT_PAYLOADS[1])
    page.locator("button[name=preview]").click()  # the preview comes into the page (static/wiki/editor.js)
    page.locator(".preview .wiki-body").wait_for()
    assert page.locator(".preview .wiki-body").count() == 1
    assert page.evaluate(INSPECT) == []
    page.locator("button[name=save]").click()
    page.wait_for_url(f"**{wiki_page.url}")
    saved = WikiPage.objects.get(pk=wiki_page.pk)
    assert "window.__xss=1" in saved.body  # the payloads were saved as typed

    for url in (wiki_page.url, f"{wiki_page.url}history/", "/recent-changes/"):
        page.goto(url)
        page.wait_for_load_state("load")
        assert_nothing_ran(page, url)
        assert page.evaluate(INSPECT) == []
        assert page.evaluate("window.__violations") == [], f"{url}: the CSP had to block something"
