"""A hidden revision on the public site: history, diffs, restore, feeds, recent changes and search, for each role."""

import pytest
from django.utils.html import escape
from django.utils.translation import gettext

from tests.wiki.conftest import edit
from wiki import moderation, services

pytestmark = pytest.mark.django_db

TEXT = "Le marché a lieu le samedi matin, place du Marché."
SECRET_TEXT = "INSULTE-SECRETE"
SECRET_SUMMARY = "RESUME-SECRET"
REASON = "Insulte envers un voisin"
MODERATING = ("moderator", "staff")


def has(text, snippet):
    return snippet in text or escape(snippet) in text


@pytest.fixture
def hidden(territory, write_page, resident, other_resident, moderator):
    """Karim's vandalism of Nadia's page, undone by a moderator and hidden; then a later edit by Nadia."""
    page = write_page(territory["genicart"], "Le marché", TEXT)
    vandalism = edit(page, other_resident, f"{TEXT}\n\n{SECRET_TEXT}", summary=SECRET_SUMMARY).revision
    page = page.specific_class.objects.get(pk=page.pk)
    undo = services.undo(moderator, page, vandalism.pk).revision
    moderation.hide_revision(moderator, page, vandalism.pk, REASON)
    page = page.specific_class.objects.get(pk=page.pk)
    return {
        "page": page,
        "created": services.previous_revision(page, vandalism),
        "vandalism": vandalism,
        "undo": undo,
    }


def login(client, user):
    if user:
        client.force_login(user)


def test_history(client, hidden, any_role):
    role, user = any_role
    login(client, user)
    page, vandalism, undo, created = hidden["page"], hidden["vandalism"], hidden["undo"], hidden["created"]
    response = client.get(page.url + "history/")
    assert response.status_code == 200
    html = response.text
    assert f'id="v{vandalism.pk}"' in html and "Karim" in html
    links = [
        f"diff/{created.pk}/{vandalism.pk}/",  # the hidden revision's changes
        f"diff/{vandalism.pk}/{undo.pk}/",  # the changes of the revision after it
        f"restore/{vandalism.pk}/",
    ]
    if role in MODERATING:
        assert SECRET_SUMMARY in html and has(html, REASON)
        assert has(html, gettext("hidden from the public"))
        assert all(link in html for link in links)
    else:
        assert SECRET_SUMMARY not in html and REASON not in html and SECRET_TEXT not in html
        assert has(html, gettext("(content hidden by a moderator)"))
        assert not any(link in html for link in links)
        assert f"undo/{undo.pk}/" not in html  # undoing the undo would bring the hidden text back
        assert "/admin/patrol/" not in html


def test_the_unpatrolled_marker_and_patrol_button_are_for_moderators(client, hidden, resident, any_role):
    role, user = any_role
    login(client, user)
    page = hidden["page"]
    fresh_edit = edit(page, resident, TEXT + " Et le dimanche.").revision
    html = client.get(page.url + "history/").text
    marker = gettext("unpatrolled")
    patrol_button = f'name="patrol" value="{fresh_edit.pk}"'
    if role in MODERATING:
        assert has(html, marker) and patrol_button in html
        response = client.post("/admin/patrol/action/", {"patrol": fresh_edit.pk, "next": page.url + "history/"})
        assert response.status_code == 302 and response.url == page.url + "history/"
        assert patrol_button not in client.get(page.url + "history/").text
    else:
        assert 'class="tag tag-unpatrolled"' not in html and patrol_button not in html


@pytest.mark.parametrize("which", ["own changes", "changes after it", "compared with the current version"])
def test_diffs_involving_a_hidden_revision(client, hidden, any_role, which):
    role, user = any_role
    login(client, user)
    page, vandalism = hidden["page"], hidden["vandalism"]
    old, new = {
        "own changes": (hidden["created"].pk, vandalism.pk),
        "changes after it": (vandalism.pk, hidden["undo"].pk),
        "compared with the current version": (vandalism.pk, page.latest_revision_id),
    }[which]
    response = client.get(f"{page.url}diff/{old}/{new}/")
    html = response.text
    if role in MODERATING:
        assert response.status_code == 200
        assert SECRET_TEXT in html and SECRET_SUMMARY in html
        assert 'class="notice notice-hidden"' in html
    else:
        assert response.status_code == 403
        assert SECRET_TEXT not in html and SECRET_SUMMARY not in html
        notice = html[html.index('class="notice notice-hidden"') :].split("</", 1)[0]
        # The page's own number of the version (the second of its history), not the revision's id.
        assert "version 2" in notice


def test_the_changes_link_of_a_hidden_revision(client, hidden, any_role):
    role, user = any_role
    login(client, user)
    page, vandalism = hidden["page"], hidden["vandalism"]
    response = client.get(f"{page.url}changes/{vandalism.pk}/", follow=True)
    assert response.status_code == (200 if role in MODERATING else 403)
    assert (SECRET_TEXT in response.text) is (role in MODERATING)


def test_only_moderators_restore_a_hidden_revision(client, hidden, any_role):
    role, user = any_role
    login(client, user)
    page, vandalism = hidden["page"], hidden["vandalism"]
    response = client.post(f"{page.url}restore/{vandalism.pk}/")
    body = page.specific_class.objects.get(pk=page.pk).body
    if role in MODERATING:
        assert response.status_code == 302 and SECRET_TEXT in body
    elif role == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
        assert SECRET_TEXT not in body
    else:
        assert response.status_code == 403 and SECRET_TEXT not in body
        assert has(response.text, gettext("Only moderators can restore a version hidden from the public."))


def test_only_moderators_undo_the_revert_of_a_hidden_revision(client, hidden, any_role):
    role, user = any_role
    login(client, user)
    page, undo = hidden["page"], hidden["undo"]
    response = client.post(f"{page.url}undo/{undo.pk}/")
    body = page.specific_class.objects.get(pk=page.pk).body
    assert (SECRET_TEXT in body) is (role in MODERATING)
    if role == "resident":
        assert response.status_code == 403


def test_a_resident_may_still_restore_and_undo_visible_revisions(client, hidden, resident):
    client.force_login(resident)
    page = hidden["page"]
    later = edit(page, resident, TEXT + " Et le dimanche.").revision
    assert client.post(f"{page.url}undo/{later.pk}/").status_code == 302
    assert client.post(f"{page.url}restore/{later.pk}/").status_code == 302
    assert "dimanche" in page.specific_class.objects.get(pk=page.pk).body


def test_the_page_history_feed(client, hidden):
    page, vandalism = hidden["page"], hidden["vandalism"]
    xml = client.get(page.url + "history/feed/").text
    assert xml.count("<entry>") == 3
    assert SECRET_SUMMARY not in xml and SECRET_TEXT not in xml
    assert has(xml, gettext("(content hidden by a moderator)"))
    assert f"diff/{hidden['created'].pk}/{vandalism.pk}/" not in xml
    assert f"diff/{vandalism.pk}/{hidden['undo'].pk}/" not in xml


@pytest.mark.parametrize("query", ["", "?commune=lormont"])
def test_the_recent_changes_feed(client, hidden, query):
    xml = client.get("/recent-changes/feed/" + query).text
    assert xml.count("<entry>") == 3
    assert SECRET_SUMMARY not in xml and SECRET_TEXT not in xml
    assert has(xml, gettext("(content hidden by a moderator)"))
    assert f"changes/{hidden['vandalism'].pk}/" not in xml


def test_recent_changes(client, hidden, any_role):
    _role, user = any_role
    login(client, user)
    html = client.get("/recent-changes/").text
    assert SECRET_SUMMARY not in html
    assert has(html, gettext("(content hidden by a moderator)"))
    assert f"changes/{hidden['vandalism'].pk}/" not in html
    assert f"changes/{hidden['undo'].pk}/" in html


def test_search_never_finds_hidden_text(client, hidden):
    """The live text is the latest revision, which can never be hidden: the index holds no hidden text."""
    assert "Le marché" in client.get("/search/?q=samedi").text
    assert "Le marché" not in client.get(f"/search/?q={SECRET_TEXT}").text.split("<h1")[1]


def test_a_forged_base_revision_never_shows_hidden_text_in_the_conflict_view(client, hidden, resident):
    page, vandalism = hidden["page"], hidden["vandalism"]
    client.force_login(resident)
    response = client.post(
        page.url + "edit/",
        {
            "title": page.title,
            "body": "Tout autre texte.",
            "summary": "",
            "base_revision_id": vandalism.pk,
            "save": "1",
        },
    )
    assert response.status_code in (200, 400)
    assert SECRET_TEXT not in response.text
    page.refresh_from_db()
    assert page.body != "Tout autre texte."  # nothing saved from a forged base


def test_a_moderator_may_start_from_a_hidden_revision(hidden, moderator):
    page, vandalism = hidden["page"], hidden["vandalism"]
    # The usual three-way merge, not a refusal: here it overlaps the undo, so a conflict.
    with pytest.raises(services.EditConflict):
        services.edit_page(
            moderator, page, base_revision_id=vandalism.pk, title=page.title, body=f"{TEXT}\n\nAjout.", summary=""
        )
