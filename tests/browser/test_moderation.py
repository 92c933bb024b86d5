"""A resident comments, two others report the comment until it is hidden, a moderator restores it from the queue.

axe on the discussion with its report link, the report form and the moderation queue.
"""

import pytest
from wagtail.models import Site

from members.models import ModerationSettings
from members.roles import RESIDENTS
from tests.browser.test_wiki import TEXT, sign_in
from wiki import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COMMENT = "Le marché du samedi est envahi, il faudrait le déplacer place du Cypressat."


@pytest.fixture
def market(territory, make_user):
    author = make_user("karim@example.fr", pseudonym="Karim")
    return services.create_page(author, territory["genicart"], "Le marché", TEXT, "Première version")


def test_reports_hide_a_comment_and_a_moderator_restores_it(
    page, browser, live_server, market, resident, moderator, make_user, assert_accessible
):
    settings = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.report_threshold = 1  # two new accounts (0.5 each) hide it
    settings.save()

    sign_in(page, resident.email, market.url)
    page.locator("form.comment-form textarea").fill(COMMENT)
    page.locator("form.comment-form button[type=submit]").click()
    assert COMMENT in page.locator("article.comment").first.inner_text()

    for n, name in enumerate(("Léa", "Omar")):
        reporter = make_user(f"reporter{n}@example.fr", pseudonym=name, groups=[RESIDENTS])
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        other = context.new_page()
        sign_in(other, reporter.email, market.url)
        if n == 0:
            assert_accessible(other)  # a discussion with a report link
        other.locator("article.comment a.comment-report").first.click()
        other.locator("input[name=reason][value=harassment]").check()
        other.locator("textarea[name=details]").fill("Propos désobligeants envers les commerçants.")
        if n == 0:
            assert_accessible(other)  # the report form
        other.locator("form.report-form button[type=submit]").click()
        assert other.locator(".messages").is_visible()
        context.close()

    page.goto(market.url)
    assert COMMENT not in page.locator("main").inner_text()  # hidden pending review

    page.context.clear_cookies()
    sign_in(page, moderator.email, "/admin/moderation/")
    queue = page.get_by_test_id("moderation-queue")
    assert COMMENT in queue.inner_text() and "Léa" in queue.inner_text()
    # The admin's "signed in" message fades in: measure its contrast once it is fully shown.
    # (Polled from here: wait_for_function evaluates a string, which the admin's CSP refuses.)
    for _attempt in range(50):
        if page.evaluate("() => document.getAnimations().every((a) => a.playState !== 'running')"):
            break
        page.wait_for_timeout(100)
    assert_accessible(page)  # the moderation queue
    queue.locator("a.button").first.click()
    restore = page.locator("form.moderation-decision", has=page.locator("input[name=action][value=restore]"))
    assert restore.locator("textarea[name=restore-statement]").input_value()  # a prefilled statement of reasons
    restore.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/moderation/")

    page.goto(market.url)
    assert COMMENT in page.locator("article.comment").first.inner_text()
