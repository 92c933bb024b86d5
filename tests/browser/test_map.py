"""The map of a project in chromium: Leaflet starts from the data attributes, axe passes, no JS still works."""

import re

import pytest

from wiki import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")


@pytest.fixture
def garden(territory, resident):
    return services.create_page(
        resident,
        territory["genicart"],
        "Jardin partagé",
        "Des parcelles pour les habitants.",
        page_type="project",
        facts={"latitude": "44.8637", "longitude": "-0.5216"},
    )


def offline(page):
    """No request leaves the machine: the tiles fail, which the page must survive."""
    blocked = []

    def abort(route):
        blocked.append(route.request.url)
        route.abort()

    page.route(OUTSIDE, abort)
    return blocked


def test_leaflet_shows_the_project_on_a_map(page, garden, assert_accessible):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    blocked = offline(page)

    page.goto(garden.url)
    region = page.get_by_role("region", name=re.compile("Jardin partagé"))
    container = page.locator(".project-map-canvas.leaflet-container")
    container.wait_for()
    assert container.get_attribute("tabindex") == "0"  # reachable from the keyboard
    marker = page.locator(".leaflet-marker-icon")
    assert marker.count() == 1
    assert "Jardin partagé" in marker.get_attribute("alt")
    assert marker.get_attribute("title") == "Jardin partagé"
    assert marker.get_attribute("src").endswith(".png") and "/static/" in marker.get_attribute("src")
    assert region.count() == 1
    attribution = page.locator(".leaflet-control-attribution")
    assert attribution.get_by_role("link", name="© OpenStreetMap contributors").count() == 1
    assert page.get_by_role("link", name=re.compile("OpenStreetMap")).first.is_visible()

    container.focus()
    page.keyboard.press("+")  # the keyboard zooms the map
    page.wait_for_function("document.querySelector('.leaflet-control-zoom-in') !== null")
    assert any("tile.openstreetmap.org" in url for url in blocked)  # it asked for tiles; they failed
    # Failed tiles log network errors; nothing else (no script error, no CSP violation).
    assert [error for error in errors if "net::" not in error and "Failed to load resource" not in error] == []
    assert_accessible(page)


def test_without_javascript_the_link_to_openstreetmap_remains(browser, live_server, garden):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(garden.url)
        assert page.locator(".project-map-canvas").is_hidden()
        link = page.locator(".project-map-link a")
        assert link.is_visible()
        assert link.get_attribute("href").startswith("https://www.openstreetmap.org/?mlat=44.863700&mlon=-0.521600")
    finally:
        context.close()


def test_the_home_page_maps_the_territorys_projects(page, garden, territory, resident, assert_accessible):
    services.create_page(
        resident,
        territory["palmer"],
        "Piste cyclable",
        "Le long du parc.",
        page_type="project",
        facts={"latitude": "44.8570", "longitude": "-0.5330"},
    )
    offline(page)
    page.goto(territory["home"].url)
    page.locator(".territory-map .project-map-canvas.leaflet-container").wait_for()
    markers = page.locator(".territory-map .leaflet-marker-icon")
    assert markers.count() == 2
    assert sorted(markers.nth(i).get_attribute("alt") for i in range(2)) == ["Jardin partagé", "Piste cyclable"]
    # The list stays: each project reachable from the keyboard and by screen readers.
    listed = page.locator(".territory-map .map-markers")
    assert listed.get_by_role("link", name="Piste cyclable", exact=True).is_visible()
    page.locator('.territory-map .leaflet-marker-icon[alt="Piste cyclable"]').click()
    page.wait_for_url("**/piste-cyclable/")
    page.go_back()
    assert_accessible(page)
