import re

import pytest
from django.core import mail

from members.models import Member
from tests.browser.conftest import main_menu

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_visitor_browses_home_commune_neighbourhood(page, territory, assert_accessible):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Rive droite"
    assert_accessible(page)

    page.get_by_role("link", name="Lormont").click()
    page.wait_for_url("**/lormont/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lormont"
    assert "33310" in page.inner_text("main")  # the postal code residents know (not the INSEE code)
    assert_accessible(page)

    page.get_by_role("link", name="Génicart").click()
    page.wait_for_url("**/lormont/genicart/")
    assert page.get_by_role("heading", level=1).inner_text() == "Génicart"
    assert page.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name="Lormont").is_visible()
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_main_content(page, territory):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu principal")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_visitor_switches_to_english_and_back(page, territory):
    page.goto("/lormont/")
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_url("**/lormont/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Neighbourhoods").is_visible()


def test_new_resident_signs_up_confirms_and_fills_the_profile(page, territory, assert_accessible):
    page.goto("/")
    main_menu(page)  # the header's menu, closed on a phone
    page.get_by_role("link", name="Rejoindre").click()
    assert_accessible(page)
    page.get_by_label("E-mail").fill("lea@example.fr")
    page.get_by_label("Mot de passe\xa0:", exact=True).fill("Un-mot-de-passe-solide-42")
    page.get_by_label("Mot de passe (confirmation)").fill("Un-mot-de-passe-solide-42")
    page.get_by_label("Pseudonyme").fill("Léa du Carriet")
    page.get_by_role("button", name="Création de compte").click()

    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer").click()

    page.wait_for_url("**/me/")
    assert_accessible(page)
    page.get_by_label("Commune de résidence").select_option(label="Lormont")
    page.get_by_label("Quartier").select_option(label="Carriet")
    page.get_by_label("Me faire figurer dans le classement public").check()
    page.get_by_role("button", name="Enregistrer mon profil").click()
    assert page.get_by_role("status").inner_text().strip() == "Votre profil a été enregistré."

    member = Member.objects.get(user__email="lea@example.fr")
    assert member.pseudonym == "Léa du Carriet"
    assert member.neighbourhood_id == territory["carriet"].pk
    assert member.show_on_leaderboard
    assert not member.accept_invitations
