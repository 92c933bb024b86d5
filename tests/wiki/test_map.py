"""The map of a project: settings from the environment, the CSP, the page's data attributes, vendored Leaflet."""

import json
import os
import re
import runpy
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "static" / "vendor" / "leaflet"
NODE_DIST = ROOT / "node_modules" / "leaflet" / "dist"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def settings_with(monkeypatch, **env):
    """civic/settings.py run afresh with these environment variables (the live settings stay untouched)."""
    for name in ("MAP_TILE_URL", "MAP_ATTRIBUTION", "MAP_ATTRIBUTION_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "civic" / "settings.py"))


def img_src(values):
    return [str(source) for source in values["SECURE_CSP"]["img-src"]]


# Settings --------------------------------------------------------------------------------------


def test_openstreetmap_by_default(monkeypatch):
    values = settings_with(monkeypatch)
    assert values["MAP_TILE_URL"] == OSM_TILES
    with translation.override("en"):
        assert str(values["MAP_ATTRIBUTION"]) == "© OpenStreetMap contributors"
    with translation.override("fr"):  # the credit speaks the reader's language
        assert str(values["MAP_ATTRIBUTION"]) == "© les contributeurs d’OpenStreetMap"
    assert values["MAP_ATTRIBUTION_URL"] == "https://www.openstreetmap.org/copyright"
    assert img_src(values) == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_tile_server_and_attribution_from_the_environment(monkeypatch):
    values = settings_with(
        monkeypatch,
        MAP_TILE_URL="https://{s}.tiles.example.fr:8443/osm/{z}/{x}/{y}.png",
        MAP_ATTRIBUTION="© Bordeaux Métropole, OpenStreetMap",
        MAP_ATTRIBUTION_URL="https://opendata.example.fr/",
    )
    assert values["MAP_TILE_URL"] == "https://{s}.tiles.example.fr:8443/osm/{z}/{x}/{y}.png"
    assert values["MAP_ATTRIBUTION"] == "© Bordeaux Métropole, OpenStreetMap"
    assert values["MAP_ATTRIBUTION_URL"] == "https://opendata.example.fr/"
    assert img_src(values) == ["'self'", "data:", "https://*.tiles.example.fr:8443"]
    assert "tiles.example.fr" not in " ".join(str(source) for source in values["ADMIN_CSP"]["img-src"])


def test_tiles_served_by_the_site_itself_add_no_origin(monkeypatch):
    assert img_src(settings_with(monkeypatch, MAP_TILE_URL="/tiles/{z}/{x}/{y}.png")) == ["'self'", "data:"]


# The project page ------------------------------------------------------------------------------


@pytest.fixture
def located(territory, write_page):
    return write_page(
        territory["genicart"],
        'Jardin <partagé> & "potager"',
        "Des parcelles.",
        page_type="project",
        latitude="44.8637",
        longitude="-0.5216",
    )


@pytest.fixture
def unlocated(territory, write_page):
    return write_page(territory["carriet"], "Nouvelle école", "Une école.", page_type="project")


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.django_db
def test_the_csp_header_allows_the_tiles(client, located):
    policy = client.get(located.url).headers["Content-Security-Policy"]
    img = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "https://tile.openstreetmap.org" in img.split()
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script


@pytest.mark.django_db
def test_a_project_with_a_location_shows_a_map_to_everyone(client, any_role, located):
    _role, user = any_role
    if user:
        client.force_login(user)
    soup = soup_of(client.get(located.url))
    canvas = soup.select_one(".project-map .project-map-canvas")
    assert canvas is not None
    assert canvas["data-lat"] == "44.863700" and canvas["data-lon"] == "-0.521600"
    assert canvas["data-tile-url"] == OSM_TILES
    assert canvas["data-attribution"] == "© les contributeurs d’OpenStreetMap"
    assert canvas["data-attribution-url"] == "https://www.openstreetmap.org/copyright"
    assert canvas["data-title"] == 'Jardin <partagé> & "potager"'  # escaped in the HTML, intact for the script
    assert "Jardin" in canvas["data-marker-alt"] and "Jardin" in canvas["aria-label"]
    assert canvas["role"] == "region"
    for name in ("data-marker-icon", "data-marker-icon-2x", "data-marker-shadow"):
        assert finders.find(canvas[name].removeprefix(settings.STATIC_URL)), canvas[name]


@pytest.mark.django_db
def test_without_javascript_the_coordinates_and_a_link_to_openstreetmap(client, located):
    soup = soup_of(client.get(located.url))
    link = soup.select_one(".project-map-link a")
    assert link["href"] == ("https://www.openstreetmap.org/?mlat=44.863700&mlon=-0.521600#map=17/44.863700/-0.521600")
    assert "OpenStreetMap" in link.get_text()
    facts = soup.select_one(".project-facts").get_text()
    assert re.search(r"44[.,]86370\D+-0[.,]52160", facts), facts  # the coordinates as text (localised)


@pytest.mark.django_db
def test_leaflet_loads_from_the_site_without_inline_script(client, located):
    soup = soup_of(client.get(located.url))
    stylesheet = soup.head.select_one('link[rel="stylesheet"][href$="vendor/leaflet/leaflet.css"]')
    assert stylesheet is not None
    sources = [script.get("src") for script in soup.find_all("script")]
    assert sources == [
        f"{settings.STATIC_URL}gallery/video.js",  # click-to-load videos (gallery), on every wiki page
        f"{settings.STATIC_URL}vendor/leaflet/leaflet.js",
        f"{settings.STATIC_URL}js/project-map.js",
        f"{settings.STATIC_URL}js/site-menu.js",  # the header's menu (templates/base.html)
    ]
    assert all(script.get("defer") is not None and not script.string for script in soup.find_all("script"))
    for path in ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "js/project-map.js"):
        response = client.get(settings.STATIC_URL + path)
        assert response.status_code == 200, path


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["unlocated", "market"])
def test_no_map_without_a_location(request, client, territory, write_page, fixture):
    if fixture == "market":
        page = write_page(territory["genicart"], "Le marché", "Le samedi.")
    else:
        page = request.getfixturevalue(fixture)
    soup = soup_of(client.get(page.url))
    assert soup.select_one(".project-map") is None
    assert soup.select_one("[data-lat]") is None
    assert "leaflet" not in str(soup).lower()


@pytest.mark.django_db
def test_the_map_follows_an_edit_of_the_location(client, resident, located):
    from tests.wiki.conftest import edit

    facts = {"status": located.status, "latitude": None, "longitude": None}
    edit(located, resident, located.body, facts=facts)
    located.refresh_from_db()
    assert soup_of(client.get(located.url)).select_one(".project-map") is None
    edit(located, resident, located.body, facts={**facts, "latitude": "44.9", "longitude": "-0.5"})
    canvas = soup_of(client.get(located.url)).select_one(".project-map-canvas")
    assert (canvas["data-lat"], canvas["data-lon"]) == ("44.900000", "-0.500000")


# Vendored Leaflet ------------------------------------------------------------------------------


def locked_leaflet_version():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return lock["packages"]["node_modules/leaflet"]["version"]


def test_vendored_leaflet_is_the_locked_version():
    version = locked_leaflet_version()
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["leaflet"] == version
    header = (VENDORED / "leaflet.js").read_text()[:300]
    assert re.search(r"Leaflet (\S+), a JS library", header).group(1) == version


def test_vendored_leaflet_is_byte_identical_to_the_npm_package():
    if not NODE_DIST.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules/leaflet is missing (npm ci): CI must compare the vendored files")
        pytest.skip("node_modules/leaflet is not installed (npm ci)")
    package = json.loads((NODE_DIST.parent / "package.json").read_text())
    assert package["version"] == locked_leaflet_version()
    vendored = sorted(path.relative_to(VENDORED) for path in VENDORED.rglob("*") if path.is_file())
    expected = [Path("LICENSE"), Path("images") / "layers-2x.png", Path("images") / "layers.png"]
    assert set(expected) <= set(vendored)
    for relative in vendored:
        source = NODE_DIST.parent / relative if relative == Path("LICENSE") else NODE_DIST / relative
        assert source.exists(), f"{relative} is not in node_modules/leaflet"
        assert (VENDORED / relative).read_bytes() == source.read_bytes(), f"{relative} differs from npm's copy"
    for needed in ("leaflet.js", "leaflet.js.map", "leaflet.css"):  # the map: collectstatic follows its URL
        assert Path(needed) in vendored
    images = {path.name for path in (NODE_DIST / "images").iterdir()}
    assert {path.name for path in vendored if path.parent == Path("images")} == images
