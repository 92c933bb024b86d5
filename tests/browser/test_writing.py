"""Writing in chromium: the toolbar (bold, a page link with suggestions), the in-page preview, a map."""

import re

import pytest

from tests.browser.test_map import offline
from tests.browser.test_wiki import sign_in
from wiki import services
from wiki.models import ProjectPage, WikiPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def market(territory, resident):
    return services.create_page(resident, territory["genicart"], "Le marché", "Le marché a lieu le samedi.")


def test_toolbar_writes_markdown_and_the_preview_stays_in_the_page(page, market, resident, assert_accessible):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, resident.email, f"{market.url}edit/")
    toolbar = page.get_by_role("toolbar", name="Mise en forme")
    assert toolbar.is_visible()
    assert_accessible(page)

    text = page.get_by_label("Texte")
    text.evaluate("(area) => area.setSelectionRange(10, 16)")  # "a lieu"
    toolbar.get_by_role("button", name="Gras").click()
    assert text.input_value() == "Le marché **a lieu** le samedi."

    # The keyboard moves along the toolbar; the page link panel suggests titles.
    text.evaluate("(area) => area.setSelectionRange(area.value.length, area.value.length)")
    toolbar.get_by_role("button", name="Gras").focus()
    page.keyboard.press("End")
    link_button = toolbar.get_by_role("button", name="Lien vers une page")
    assert link_button.evaluate("(button) => button === document.activeElement")
    page.keyboard.press("Enter")
    assert link_button.get_attribute("aria-expanded") == "true"
    query = page.get_by_label("Page du territoire vers laquelle faire un lien")
    assert query.evaluate("(input) => input === document.activeElement")
    query.press_sequentially("géni")
    suggestion = page.get_by_role("button", name=re.compile("^Génicart"))
    suggestion.wait_for()
    assert page.get_by_role("status").filter(has_text="1 page trouvée").count() == 1
    assert_accessible(page)
    suggestion.click()
    assert text.input_value() == "Le marché **a lieu** le samedi.[[Génicart]]"
    assert link_button.get_attribute("aria-expanded") == "false"

    page.evaluate("window.stayedInThePage = true")
    page.get_by_role("button", name="Prévisualiser").click()
    preview = page.locator(".preview")
    preview.wait_for()
    assert preview.locator("strong").inner_text() == "a lieu"
    assert preview.get_by_role("link", name="Génicart").get_attribute("href") == "/lormont/genicart/"
    assert page.evaluate("window.stayedInThePage") is True  # no reload: the text is still being edited
    assert page.url.endswith(f"{market.url}edit/")
    assert_accessible(page)

    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**{market.url}")
    assert WikiPage.objects.get(pk=market.pk).body == "Le marché **a lieu** le samedi.[[Génicart]]"
    assert errors == []


def test_a_resident_places_a_new_project_on_the_map(page, territory, resident, assert_accessible):
    offline(page)  # no tile leaves the machine: the map still takes clicks
    sign_in(page, resident.email, f"{territory['genicart'].url}new/")
    group = page.get_by_role("group", name="Détails du projet (seulement pour un projet)")
    assert not group.is_visible()  # an article is the default: no project fields
    page.get_by_label("Un projet").check()
    assert group.is_visible()
    canvas = page.locator(".location-picker-canvas.leaflet-container")
    canvas.wait_for()
    assert_accessible(page)

    canvas.click(position={"x": 120, "y": 90})
    latitude = page.get_by_label("Latitude")
    longitude = page.get_by_label("Longitude")
    assert re.fullmatch(r"-?\d+\.\d{6}", latitude.input_value())
    assert re.fullmatch(r"-?\d+\.\d{6}", longitude.input_value())
    assert page.locator(".location-picker .leaflet-marker-icon").count() == 1
    assert "Projet placé" in page.locator("[data-location-status]").inner_text()
    placed = (latitude.input_value(), longitude.input_value())

    page.locator("input[name=title]").fill("Square des tilleuls")
    page.get_by_label("Texte").fill("Un square ombragé.")
    page.get_by_role("button", name="Créer la page").click()
    page.wait_for_url("**/square-des-tilleuls/")
    project = ProjectPage.objects.get(title="Square des tilleuls")
    assert (f"{project.latitude:.6f}", f"{project.longitude:.6f}") == placed
