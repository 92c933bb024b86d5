"""A resident comments below a page, another replies, the author edits; axe on the page, the reply and edit forms."""

import re

import pytest

from tests.browser.test_wiki import TEXT, sign_in
from wiki import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def market(territory, make_user):
    author = make_user("karim@example.fr", pseudonym="Karim")
    return services.create_page(author, territory["genicart"], "Le marché", TEXT, "Première version")


def test_residents_comment_reply_and_edit(page, browser, live_server, market, resident, make_user, assert_accessible):
    page.goto(market.url)
    discussion = page.locator("section.discussion")
    assert re.search(r"0\s+commentaire", discussion.get_by_role("heading", level=2).inner_text())
    assert discussion.get_by_role("link", name="Connectez-vous pour commenter").is_visible()
    assert_accessible(page)

    sign_in(page, resident.email, market.url)
    page.get_by_role("button", name="Envoyer").click()  # empty: refused, nothing saved
    assert "Écrivez quelque chose" in page.locator("main").inner_text()
    page.get_by_label("Votre commentaire").fill("Le marché est **très** animé le samedi, venez tôt.")
    page.get_by_role("button", name="Envoyer").click()
    comment = page.locator("article.comment").first
    assert comment.locator(".comment-body strong").inner_text() == "très"
    assert "Nadia" in comment.inner_text()
    assert_accessible(page)

    neighbour = make_user("lea@example.fr", pseudonym="Léa")
    other = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="fr-FR")
    other_page = other.new_page()
    sign_in(other_page, neighbour.email, market.url)
    other_page.locator("article.comment").first.get_by_role("link", name="Répondre").click()
    assert_accessible(other_page)
    other_page.locator("form.comment-form textarea").fill("Merci, et le poissonnier est là dès 7 h.")
    other_page.get_by_role("button", name="Envoyer la réponse").click()
    other.close()

    page.goto(market.url)
    assert re.search(r"2\s+commentaires", page.locator("section.discussion h2").inner_text())
    assert "dès 7 h" in page.locator(".comment-replies").inner_text()
    page.locator("article.comment").first.get_by_role("link", name="Modifier").first.click()
    assert_accessible(page)
    page.get_by_label("Texte de votre commentaire").fill("Le marché est très animé le samedi matin.")
    page.get_by_role("button", name=re.compile("Enregistrer|Envoyer")).click()
    page.goto(market.url)
    first = page.locator("article.comment").first
    assert "samedi matin" in first.locator(".comment-body").first.inner_text()
    assert "modifié" in first.locator(".comment-meta").first.inner_text()
