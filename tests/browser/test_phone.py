"""Phone first (390×844): a compact header whose menu opens with the keyboard and without JavaScript, AA on the home."""

import json

import pytest

from wiki import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_blocking(page, axe_source):
    page.evaluate(axe_source)
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG22_AA
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def small_targets(page, selector):
    """Visible interactive elements under `selector` smaller than 24×24 CSS px."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, box]) => box.width > 0 && box.height > 0 && (box.width < 24 || box.height < 24))
            .map(([el, box]) => `${el.outerHTML.slice(0, 80)} ${Math.round(box.width)}×${Math.round(box.height)}`)""",
        selector,
    )


def test_header_is_compact_and_the_menu_opens_with_the_keyboard(page, territory, axe_source):
    page.goto("/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 120, header
    nav = page.get_by_role("navigation", name="Menu principal")
    assert not nav.is_visible()
    assert axe_blocking(page, axe_source) == []

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")  # the menu button
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert nav.is_visible()
    assert page.locator("#site-menu").evaluate("el => el.open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Territoire"
    assert small_targets(page, ".site-header a, .site-header button, .site-header summary") == []
    blocking = axe_blocking(page, axe_source)
    assert blocking == [], json.dumps(blocking, indent=2, ensure_ascii=False)

    page.keyboard.press("Escape")  # closes the menu, focus back on its button
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press(" ")
    assert nav.is_visible()


def test_the_menu_opens_without_javascript(browser, live_server, territory):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    nav = page.get_by_role("navigation", name="Menu principal")
    assert not nav.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert nav.is_visible()
    nav.get_by_role("link", name="Classement").click()
    page.wait_for_url("**/leaderboard/")
    context.close()


def test_wide_screens_show_the_navigation_in_the_header(browser, live_server, territory):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.goto("/")
    assert page.get_by_role("navigation", name="Menu principal").is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert page.locator(".site-header").bounding_box()["height"] < 100
    context.close()


def test_touch_targets_and_the_project_map_on_the_first_screen(page, territory, resident):
    project = services.create_page(
        resident,
        territory["genicart"],
        "Jardin partagé",
        "Des parcelles pour les habitants.",
        page_type="project",
        facts={"latitude": "44.8637", "longitude": "-0.5216"},
    )
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(project.url)
    canvas = page.locator(".project-map-canvas")
    canvas.wait_for()
    assert canvas.bounding_box()["y"] < 844, "the map starts on the first screen"
    assert small_targets(page, ".site-footer a, .site-footer button, .site-footer select") == []

    page.goto("/recent-changes/")
    assert small_targets(page, "input[type=checkbox], input[type=radio]") == []
