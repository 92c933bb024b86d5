"""A resident asks the town hall from a page, staff route and answer it, the resident reads the official answer.

axe on /questions/, the question's page and the service's queue.
"""

import pytest
from django.contrib.auth.models import Group

from questions.models import Question, Service
from tests.browser.test_wiki import TEXT, sign_in
from wiki import services
from wiki.models import Theme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def street(territory, make_user):
    author = make_user("karim@example.fr", pseudonym="Karim")
    return services.create_page(author, territory["genicart"], "Rue Lavoisier", TEXT, "Première version")


@pytest.fixture
def roads(territory):
    service = Service.objects.create(
        name="Voirie", contact_email="voirie@example.fr", target_days=10, agents=Group.objects.create(name="Voirie")
    )
    service.themes.add(Theme.objects.get(slug="mobilite"))
    return service


def test_a_resident_asks_staff_route_and_answer_the_resident_reads(
    page, browser, live_server, street, roads, resident, staff, assert_accessible
):
    page.goto("/questions/")
    assert_accessible(page)

    sign_in(page, resident.email, street.url)
    page.get_by_role("link", name="Une question pour la mairie ?", exact=False).click()
    page.get_by_role("button", name="Envoyer ma question").click()  # empty: refused, nothing lost
    assert "Écrivez votre question." in page.locator("main").inner_text()
    page.get_by_label("Thème").select_option(label="Mobilité")
    page.get_by_label("Votre question").fill("Quand le trottoir de la rue Lavoisier sera-t-il refait ?")
    page.get_by_role("button", name="Envoyer ma question").click()
    question = Question.objects.get()
    page.wait_for_url(f"**/questions/{question.pk}/")
    assert "En attente de qualification" in page.locator("main").inner_text()

    team = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="fr-FR")
    staff_page = team.new_page()
    sign_in(staff_page, staff.email, f"/questions/{question.pk}/")
    staff_page.locator("#route-service").select_option(label="Voirie")
    staff_page.get_by_role("button", name="Orienter").click()
    assert "Orientée vers le service Voirie" in staff_page.locator("main").inner_text()
    assert_accessible(staff_page)  # the question's page with every form staff may use
    staff_page.goto(f"/questions/services/{roads.pk}/queue/")
    assert_accessible(staff_page)
    staff_page.get_by_role("link", name=question.title).click()
    staff_page.get_by_label("La réponse").fill("Les travaux sont **programmés** pour mars.")
    staff_page.get_by_role("button", name="Publier la réponse").click()
    assert "Réponse officielle du service Voirie" in staff_page.locator("main").inner_text()
    team.close()

    page.reload()
    answer = page.locator("section.official-answer")
    assert answer.locator("strong").inner_text() == "programmés"
    assert "Répondue" in page.locator("main").inner_text()
    assert_accessible(page)
