"""The public wiki views: edit, create, preview, conflicts, history, diff, undo, restore, rollback."""

import re

import pytest
from django.utils.html import escape

from members.models import Activity
from tests.wiki.conftest import edit
from wiki import services
from wiki.models import RevisionMeta, WikiPage

pytestmark = pytest.mark.django_db

TEXT = "Le marché a lieu le samedi.\n\nIl y a des fruits.\n\nEt du poisson."


@pytest.fixture
def market(territory, write_page):
    return write_page(territory["genicart"], "Le marché", TEXT)


def fresh(page):
    return page.specific_class.objects.get(pk=page.pk)


def base_id(response):
    return re.search(r'name="base_revision_id" value="(\d+)"', response.text).group(1)


def post_edit(client, page, body, *, base, title=None, summary="", **extra):
    data = {"title": title or page.title, "body": body, "summary": summary, "base_revision_id": base, **extra}
    return client.post(page.url + "edit/", data)


# Who may edit ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, market, territory):
    for url in (market.url + "edit/", territory["genicart"].url + "new/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")


def test_unverified_members_are_told_to_confirm_their_email(client, market, make_user):
    client.force_login(make_user("new@example.fr", verified=False))
    response = client.get(market.url + "edit/")
    assert response.status_code == 403
    assert "adresse e-mail" in response.text or "email address" in response.text
    assert post_edit(client, market, "vandalisme", base=market.latest_revision_id).status_code == 403
    assert fresh(market).body == TEXT


def test_the_page_offers_edit_and_history(client, market):
    html = client.get(market.url).text
    assert f'href="{market.url}edit/"' in html and f'href="{market.url}history/"' in html


# Editing --------------------------------------------------------------------------------


def test_resident_edits_a_page(client, market, other_resident):
    client.force_login(other_resident)
    response = client.get(market.url + "edit/")
    assert response.status_code == 200
    assert base_id(response) == str(market.latest_revision_id)
    assert escape(TEXT.split("\n")[0]) in response.text
    new_body = TEXT.replace("samedi", "dimanche")
    response = post_edit(client, market, new_body.replace("\n", "\r\n"), base=base_id(response), summary="jour")
    assert response.status_code == 302 and response.url == market.url
    market = fresh(market)
    assert market.body == new_body
    assert market.latest_revision.user == other_resident
    assert "dimanche" in client.get(market.url).text


def test_preview_renders_without_saving(client, market, resident):
    client.force_login(resident)
    response = post_edit(client, market, "# Nouveau\n\n[[Génicart]]", base=market.latest_revision_id, preview="1")
    assert response.status_code == 200
    assert "<h1>Nouveau</h1>" in response.text
    assert 'class="wiki-link" href="/lormont/genicart/"' in response.text
    assert "# Nouveau" in response.text  # the text stays in the form
    assert fresh(market).body == TEXT


@pytest.mark.parametrize(
    ("data", "field"),
    [({"title": ""}, "title"), ({"title": "   "}, "title"), ({"body": "x" * 100_001}, "body")],
)
def test_bad_input_is_explained(client, market, resident, data, field):
    client.force_login(resident)
    response = client.post(
        market.url + "edit/",
        {"title": market.title, "body": TEXT, "base_revision_id": market.latest_revision_id, **data},
    )
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.text
    assert 'role="alert"' in response.text
    assert fresh(market).body == TEXT


@pytest.mark.parametrize("forged", ["", "abc", "999999", "-1"])
def test_forged_base_revision_gets_a_message_not_an_error(client, market, resident, forged):
    client.force_login(resident)
    response = post_edit(client, market, "Mon texte", base=forged)
    assert response.status_code == 200
    assert "Mon texte" in response.text
    assert 'role="alert"' in response.text
    assert base_id(response) == str(market.latest_revision_id)
    assert fresh(market).body == TEXT


def test_base_revision_of_another_page_is_refused(client, market, resident, territory, write_page):
    other = write_page(territory["genicart"], "Autre", "Autre")
    client.force_login(resident)
    response = post_edit(client, market, "Mon texte", base=other.latest_revision_id)
    assert response.status_code == 200 and fresh(market).body == TEXT


def test_concurrent_edit_of_another_part_is_merged(client, market, resident, other_resident):
    client.force_login(resident)
    base = base_id(client.get(market.url + "edit/"))
    edit(market, other_resident, TEXT.replace("samedi", "dimanche"))  # Karim saves meanwhile
    response = post_edit(client, market, TEXT.replace("poisson", "fromage"), base=base)
    assert response.status_code == 302
    assert fresh(market).body == TEXT.replace("samedi", "dimanche").replace("poisson", "fromage")
    message = client.get(response.url).text
    assert "fusionn" in message or "merged" in message


def test_conflicting_edit_keeps_the_text_and_shows_the_other_change(client, market, resident, other_resident):
    client.force_login(resident)
    base = base_id(client.get(market.url + "edit/"))
    theirs = edit(market, other_resident, TEXT.replace("samedi", "dimanche")).revision
    mine = TEXT.replace("samedi", "mercredi")
    response = post_edit(client, market, mine, base=base)
    assert response.status_code == 409
    html = response.text
    assert escape(mine.split("\n")[0]) in html  # my text is kept in the form
    assert "<del>" in html and "samedi" in html and "dimanche" in html  # their change, as a diff
    assert base_id(response) == str(theirs.pk)
    assert "Karim" in html
    assert fresh(market).body == TEXT.replace("samedi", "dimanche")
    # Resolved by hand: saved against the latest revision.
    response = post_edit(client, market, TEXT.replace("samedi", "mercredi et dimanche"), base=base_id(response))
    assert response.status_code == 302
    assert fresh(market).body == TEXT.replace("samedi", "mercredi et dimanche")


def test_editing_project_facts(client, territory, resident, write_page):
    project = write_page(territory["palmer"], "Jardin", "Un jardin.", page_type="project")
    client.force_login(resident)
    response = client.get(project.url + "edit/")
    assert 'name="status"' in response.text and 'type="date"' in response.text
    response = client.post(
        project.url + "edit/",
        {
            "title": "Jardin",
            "body": "Un jardin.",
            "status": "in_progress",
            "start_date": "2027-04-01",
            "end_date": "2027-03-01",
            "base_revision_id": project.latest_revision_id,
        },
    )
    assert response.status_code == 200 and "end_date" in response.text
    response = client.post(
        project.url + "edit/",
        {
            "title": "Jardin",
            "body": "Un jardin.",
            "status": "in_progress",
            "start_date": "2027-04-01",
            "budget": "1500.50",
            "latitude": "44.86",
            "longitude": "-0.53",
            "base_revision_id": project.latest_revision_id,
        },
    )
    assert response.status_code == 302
    project = fresh(project)
    assert project.status == "in_progress" and str(project.budget) == "1500.50"


# Creating ---------------------------------------------------------------------------------


def test_red_link_leads_to_a_prefilled_creation_form(client, resident, territory):
    client.force_login(resident)
    response = client.get(territory["genicart"].url + "new/?title=La%20piscine")
    assert response.status_code == 200
    assert 'value="La piscine"' in response.text


def test_resident_creates_a_page_and_a_project(client, resident, territory):
    client.force_login(resident)
    url = territory["genicart"].url + "new/"
    response = client.post(url, {"kind": "wiki", "title": "La piscine", "body": "Bassin de **25 m**.", "summary": ""})
    assert response.status_code == 302 and response.url == "/lormont/genicart/la-piscine/"
    assert "<strong>25 m</strong>" in client.get(response.url).text
    response = client.post(
        url, {"kind": "project", "title": "Skatepark", "body": "Un skatepark.", "status": "consultation"}
    )
    assert response.status_code == 302
    assert Activity.objects.filter(kind=Activity.Kind.PROJECT_CREATED, page__title="Skatepark").exists()
    assert "Skatepark" in client.get(territory["genicart"].url).text


def test_creation_errors_are_explained(client, resident, territory, write_page):
    write_page(territory["genicart"], "La piscine")
    client.force_login(resident)
    url = territory["genicart"].url + "new/"
    response = client.post(url, {"kind": "wiki", "title": "La Piscine", "body": ""})
    assert response.status_code == 200 and "La piscine" in response.text and 'role="alert"' in response.text
    response = client.post(url, {"kind": "wiki", "title": "", "body": "texte"})
    assert response.status_code == 200
    response = client.post(url, {"kind": "wiki", "title": "?!", "body": "texte"})
    assert response.status_code == 200
    assert WikiPage.objects.count() == 1


def test_preview_of_a_new_page(client, resident, territory):
    client.force_login(resident)
    response = client.post(
        territory["genicart"].url + "new/", {"kind": "wiki", "title": "Brouillon", "body": "*essai*", "preview": "1"}
    )
    assert response.status_code == 200 and "<em>essai</em>" in response.text
    assert not WikiPage.objects.exists()


def test_no_creation_under_a_project_or_the_home_page(client, resident, territory, write_page):
    project = write_page(territory["genicart"], "Projet", page_type="project")
    client.force_login(resident)
    assert client.get(project.url + "new/").status_code == 404
    assert client.get(territory["home"].url + "new/").status_code == 404


# History and diffs -----------------------------------------------------------------------


def test_history_lists_every_revision(client, market, other_resident):
    edit(market, other_resident, TEXT + "\n\nEt des fleurs.", summary="fleurs")
    html = client.get(market.url + "history/").text
    assert "Nadia" in html and "Karim" in html and "fleurs" in html
    assert "+16" in html  # "\n\nEt des fleurs."
    assert html.count('class="history-entry') == 2


def test_history_pages(client, market, resident):
    for i in range(55):
        edit(market, resident, f"Version {i}")
    first = client.get(market.url + "history/")
    assert first.text.count('class="history-entry') == 50
    assert 'href="?page=2"' in first.text
    second = client.get(market.url + "history/?page=2")
    assert second.text.count('class="history-entry') == 6
    assert client.get(market.url + "history/?page=9").status_code == 404
    assert client.get(market.url + "history/?page=x").status_code == 404


def test_diff_is_word_level(client, market, other_resident):
    old = market.latest_revision_id
    new = edit(market, other_resident, TEXT.replace("samedi", "dimanche")).revision.pk
    response = client.get(f"{market.url}diff/{old}/{new}/")
    assert response.status_code == 200
    html = response.text
    assert re.search(r"<del>.*samedi.*</del>", html) and re.search(r"<ins>.*dimanche.*</ins>", html)
    assert "Karim" in html and "Nadia" in html


def test_diff_with_bad_revision_ids_is_a_404(client, market, territory, write_page):
    other = write_page(territory["genicart"], "Autre", "x")
    rev = market.latest_revision_id
    for old, new in ((rev, 999999), (other.latest_revision_id, rev), (0, rev)):
        assert client.get(f"{market.url}diff/{old}/{new}/").status_code == 404
    assert client.get(f"{market.url}diff/abc/{rev}/").status_code == 404


def test_history_feed(client, market, other_resident):
    edit(market, other_resident, TEXT + "\n\nFin.", summary="fin")
    response = client.get(market.url + "history/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response.text.count("<entry>") == 2
    assert "Karim" in response.text and "fin" in response.text


# Undo, restore, rollback ----------------------------------------------------------------------


def test_undo_and_restore_from_the_history(client, market, resident, other_resident):
    created = market.latest_revision_id
    spam = edit(market, other_resident, TEXT + "\n\nPub !").revision.pk
    client.force_login(resident)
    assert client.get(f"{market.url}undo/{spam}/").status_code == 405
    response = client.post(f"{market.url}undo/{spam}/")
    assert response.status_code == 302 and response.url == market.url + "history/"
    assert fresh(market).body == TEXT
    assert RevisionMeta.objects.get(revision_id=spam).reverted
    edit(market, other_resident, "Tout autre chose")
    client.post(f"{market.url}restore/{created}/")
    assert fresh(market).body == TEXT
    html = client.get(market.url + "history/").text
    assert "annulée" in html or "reverted" in html


def test_undo_conflict_is_said_and_changes_nothing(client, market, resident, other_resident):
    first = edit(market, other_resident, TEXT.replace("samedi", "dimanche")).revision.pk
    edit(market, resident, TEXT.replace("samedi", "dimanche matin"))
    client.force_login(resident)
    count = services.page_revisions(market).count()
    response = client.post(f"{market.url}undo/{first}/", follow=True)
    assert services.page_revisions(market).count() == count
    assert 'class="message message-error"' in response.text


def test_anonymous_cannot_undo(client, market, other_resident):
    spam = edit(market, other_resident, "Pub").revision.pk
    response = client.post(f"{market.url}undo/{spam}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert fresh(market).body == "Pub"


def test_undo_of_a_foreign_revision_is_a_404(client, market, resident, territory, write_page):
    other = write_page(territory["genicart"], "Autre", "x")
    client.force_login(resident)
    assert client.post(f"{market.url}undo/{other.latest_revision_id}/").status_code == 404


def test_rollback_button_for_moderators_only(client, market, resident, other_resident, moderator):
    edit(market, other_resident, "Spam 1")
    edit(market, other_resident, "Spam 2")
    client.force_login(resident)
    assert "rollback/" not in client.get(market.url + "history/").text
    assert client.post(market.url + "rollback/").status_code == 403
    client.force_login(moderator)
    assert "rollback/" in client.get(market.url + "history/").text
    client.post(market.url + "rollback/")
    assert fresh(market).body == TEXT
    assert RevisionMeta.objects.filter(reverted=True).count() == 2


# Queries stay flat -------------------------------------------------------------------------


def test_history_and_diff_queries_do_not_grow(client, market, resident, other_resident, django_assert_max_num_queries):
    client.get(market.url)
    counts = []
    for editions in (2, 30):
        for i in range(editions):
            edit(market, resident if i % 2 else other_resident, f"Version {editions}-{i}\n\n{TEXT}", summary=f"v{i}")
        latest = fresh(market).latest_revision_id
        measured = []
        for url in (market.url, market.url + "history/", f"{market.url}diff/{market.latest_revision_id}/{latest}/"):
            with django_assert_max_num_queries(20) as queries:
                assert client.get(url).status_code == 200
            measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1]


def test_a_page_made_without_revision_can_still_be_edited(client, territory, resident):

    page = WikiPage(title="Sans version", slug="sans-version", body="Texte")
    territory["genicart"].add_child(instance=page)
    assert page.latest_revision_id is None
    client.force_login(resident)
    response = client.get(page.url + "edit/")
    assert response.status_code == 200
    assert post_edit(client, page, "Nouveau texte", base=base_id(response)).status_code == 302
    assert fresh(page).body == "Nouveau texte"


def test_a_blocked_member_sees_the_reason_and_the_end_of_the_block(client, market, resident, moderator):
    from datetime import timedelta

    from django.utils import timezone

    from members.services import block_member

    block_member(resident.member, reason="Vandalisme répété", ends_at=timezone.now() + timedelta(days=3), by=moderator)
    client.force_login(resident)
    response = client.get(market.url + "edit/")
    assert response.status_code == 403
    assert "Vandalisme répété" in response.text and "<time" in response.text


def test_the_edit_form_fields_are_cached_per_revision_and_language(client, market, resident, other_resident):
    from django.core.cache import cache

    client.force_login(resident)
    first = client.get(market.url + "edit/")
    assert first.context["fields_cache_key"] and "samedi" in first.text
    with pytest.MonkeyPatch.context() as patch:  # the second render reads the fields from the cache
        patch.setattr("django.forms.BoundField.as_field_group", lambda self: pytest.fail("rendered again"))
        again = client.get(market.url + "edit/")
    assert base_id(again) == base_id(first) and "samedi" in again.text

    edit(market, other_resident, TEXT.replace("samedi", "dimanche"))
    after = client.get(market.url + "edit/")
    assert "dimanche" in after.text and base_id(after) == str(fresh(market).latest_revision_id)

    client.cookies["django_language"] = "en"
    assert 'for="id_title">Title' in client.get(market.url + "edit/").text
    client.cookies["django_language"] = "fr"
    assert 'for="id_title">Titre' in client.get(market.url + "edit/").text

    cache.clear()
    refused = post_edit(client, market, "Du poisson.", base=base_id(after), summary="x" * 5000)  # form error
    assert refused.status_code == 200 and refused.context["fields_cache_key"] is None  # a bound form: rendered
