"""Browser tests: Playwright for Python driving Debian's chromium, never a downloaded browser.

Every test here is marked `browser`; `make test` runs them after the unit tests.
Under CI=true a missing chromium or axe-core fails instead of skipping.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI") == "true"


SLOWEST_FIRST = "test_xss.py"  # its corpus test takes a third of the pass: start it first, beside the others (-n 2)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)
    yield  # -m deselects, pytest-django puts transactional tests last; then:
    if all(item.get_closest_marker("browser") for item in items):  # the browser pass (-m browser)
        items.sort(key=lambda item: item.path.name != SLOWEST_FIRST)


def unavailable(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if not path:
        unavailable("Debian's chromium package is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls
    # the tests make to arrange data are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_PATH.exists():
        unavailable("axe-core is not installed (npm ci)")
    return AXE_PATH.read_text()


@pytest.fixture
def assert_accessible(axe_source):
    """Run axe-core in the page; fail on any serious or critical violation."""

    def check(page):
        # evaluate() goes through the DevTools protocol, so the page's CSP stays on.
        page.evaluate(axe_source)
        results = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
            })"""
        )
        blocking = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        summary = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in blocking
        ]
        assert not blocking, f"axe violations on {page.url}:\n{json.dumps(summary, indent=2, ensure_ascii=False)}"
        return results

    return check


def main_menu(page):
    """The header's main navigation, its menu opened first where it is closed (phones, templates/base.html)."""
    if not page.locator("#site-menu").evaluate("el => el.open"):
        page.locator("#site-menu > summary").click()
    return page.get_by_role("navigation", name="Menu principal")
