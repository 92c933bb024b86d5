"""A resident edits a wiki page, resolves an edit conflict, reads the history and a diff; axe on every step."""

import pytest

from tests.browser.conftest import main_menu
from tests.conftest import PASSWORD
from wiki import services
from wiki.models import WikiPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEXT = (
    "Le marché de Génicart a lieu **le samedi matin**, place du Marché.\n\n"
    "On y trouve des fruits, des légumes et du poisson.\n\n"
    "Voir aussi [[Génicart]] et [[La piscine]]."
)


def sign_in(page, email, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


@pytest.fixture
def market(territory, other_resident):
    return services.create_page(other_resident, territory["genicart"], "Le marché", TEXT, "Première version")


@pytest.fixture
def other_resident(make_user):
    return make_user("karim@example.fr", pseudonym="Karim")


def test_resident_edits_and_reads_the_history_and_a_diff(page, market, resident, assert_accessible):
    page.goto(market.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Le marché"
    assert page.locator(".wiki-body strong").inner_text() == "le samedi matin"
    assert page.locator(".wiki-body").get_by_role("link", name="Génicart").get_attribute("href") == "/lormont/genicart/"
    assert "new" in page.get_by_role("link", name="La piscine").get_attribute("class")
    assert_accessible(page)

    page.get_by_role("navigation", name="Actions sur la page").get_by_role("link", name="Modifier").click()
    page.wait_for_url("**/accounts/login/**")
    page.locator("input[name=login]").fill(resident.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{market.url}edit/")
    assert_accessible(page)

    text = page.get_by_label("Texte")
    text.fill(TEXT.replace("le samedi matin", "le samedi et le mercredi matin"))
    page.get_by_label("Résumé de la modification").fill("Ajout du mercredi")
    page.get_by_role("button", name="Prévisualiser").click()
    assert "le samedi et le mercredi matin" in page.locator(".preview").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()

    page.wait_for_url(f"**{market.url}")
    assert "enregistrées" in page.get_by_role("status").inner_text()
    assert "le samedi et le mercredi matin" in page.locator(".wiki-body").inner_text()

    page.get_by_role("link", name="Historique").click()
    page.wait_for_url(f"**{market.url}history/")
    entries = page.locator(".history-entry")
    assert entries.count() == 2
    assert "Nadia" in entries.nth(0).inner_text() and "Ajout du mercredi" in entries.nth(0).inner_text()
    assert "Karim" in entries.nth(1).inner_text()
    assert_accessible(page)

    entries.nth(0).get_by_role("link", name="Modifications").click()
    page.wait_for_url("**/diff/**")
    assert page.locator(".diff ins").first.inner_text().strip().startswith("[ajouté")
    assert "et le mercredi" in page.locator(".diff ins").first.inner_text()
    assert_accessible(page)

    main_menu(page).get_by_role("link", name="Modifications récentes").click()
    page.wait_for_url("**/recent-changes/")
    assert page.locator(".recent-changes .history-entry").count() == 2
    page.get_by_label("Commune").select_option(label="Cenon")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/recent-changes/?commune=cenon*")
    assert page.locator(".recent-changes .history-entry").count() == 0
    assert_accessible(page)

    main_menu(page).get_by_role("link", name="Projets").click()
    page.wait_for_url("**/projects/")
    assert_accessible(page)

    main_menu(page).get_by_role("link", name="Rechercher").click()
    page.get_by_label("Mots à chercher").fill("mercredi")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/search/?q=mercredi")
    assert page.locator(".search-results mark").first.inner_text() == "mercredi"
    assert_accessible(page)


def test_resident_resolves_an_edit_conflict(page, market, resident, other_resident, assert_accessible):
    sign_in(page, resident.email, f"{market.url}edit/")
    page.get_by_label("Texte").fill(TEXT.replace("le samedi matin", "le dimanche matin"))

    # Meanwhile Karim changes the same sentence.
    karim = WikiPage.objects.get(pk=market.pk)
    services.edit_page(
        other_resident,
        karim,
        base_revision_id=karim.latest_revision_id,
        title=karim.title,
        body=TEXT.replace("le samedi matin", "le samedi toute la journée"),
        summary="Horaires",
    )

    page.get_by_role("button", name="Enregistrer").click()
    alert = page.locator(".conflict-notice")
    assert "rien n’a été enregistré" in alert.inner_text()
    assert "le dimanche matin" in page.get_by_label("Texte").input_value()  # my text is kept
    their_change = page.get_by_role("complementary", name="Leur modification")
    assert "toute la journée" in their_change.locator("ins").first.inner_text()
    assert_accessible(page)

    page.get_by_label("Texte").fill(TEXT.replace("le samedi matin", "le samedi toute la journée et le dimanche matin"))
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**{market.url}")
    assert "le samedi toute la journée et le dimanche matin" in page.locator(".wiki-body").inner_text()
    assert WikiPage.objects.get(pk=market.pk).body.count("dimanche") == 1


def test_resident_follows_a_red_link_and_creates_the_page(page, market, resident, assert_accessible):
    sign_in(page, resident.email, market.url)
    page.locator(".wiki-body").get_by_role("link", name="La piscine").click()
    page.wait_for_url("**/lormont/genicart/new/?title=La+piscine")
    assert page.get_by_label("Titre").input_value() == "La piscine"
    assert_accessible(page)
    page.get_by_label("Texte").fill("Bassin de **25 mètres**, ouvert tout l’été.")
    page.get_by_role("button", name="Créer la page").click()
    page.wait_for_url("**/lormont/genicart/la-piscine/")
    assert page.locator(".wiki-body strong").inner_text() == "25 mètres"
    page.goto(market.url)
    link = page.locator(".wiki-body").get_by_role("link", name="La piscine")
    assert link.get_attribute("href") == "/lormont/genicart/la-piscine/"
    assert "new" not in (link.get_attribute("class") or "")
