"""Patrol and hidden revisions: wiki/moderation.py, its admin views (wiki/moderation_views.py) and the history."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from members.activity import Kind
from members.models import Activity, Member, ScoringSettings
from members.roles import RESIDENTS
from members.scoring import awaiting_patrol, in_patrol_window, load_rules, tally
from tests.conftest import add_page
from tests.wiki.conftest import edit
from wiki import moderation, permissions, services
from wiki.models import RevisionMeta, WikiPage

pytestmark = pytest.mark.django_db

QUEUE = "/admin/patrol/"
ACTION = "/admin/patrol/action/"
TEXT = "Le marché a lieu le samedi matin, place du Marché, avec une vingtaine de stands."
ADDITION = "\n\nOn y trouve aussi un stand de fromages et un autre de légumes bio du Médoc."


def has(html, text):
    return text in html or escape(text) in html


@pytest.fixture
def veteran(make_user):
    """A resident whose account is 60 days old (past the patrol window)."""

    def make(email, pseudonym, *, days=60):
        user = make_user(email, pseudonym=pseudonym, groups=[RESIDENTS])
        Member.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=days))
        user.member.refresh_from_db()
        return user

    return make


@pytest.fixture
def nadia(veteran):
    return veteran("nadia.old@example.fr", "Nadia Ancienne")


@pytest.fixture
def market(territory, write_page, nadia):
    return write_page(territory["genicart"], "Le marché", TEXT, user=nadia)


def fresh(page):
    return page.specific_class.objects.get(pk=page.pk)


def meta_of(revision_id):
    return RevisionMeta.objects.get(revision_id=revision_id)


def edit_points(user):
    result = tally(load_rules()).get(user.member.pk)
    return result.breakdown.get(Kind.EDIT, 0) if result else 0


def lines(kind, **filters):
    return Activity.objects.filter(kind=kind, **filters)


# Flagging revisions for patrol ---------------------------------------------------------------


def test_new_members_revisions_need_patrol(market, resident, nadia, moderator, staff):
    newcomer_edit = edit(market, resident, TEXT + ADDITION).revision
    veteran_edit = edit(market, nadia, TEXT).revision
    moderator_edit = edit(market, moderator, TEXT + " Modo.").revision
    staff_edit = edit(market, staff, TEXT + " Équipe.").revision
    assert meta_of(newcomer_edit.pk).needs_patrol
    assert not meta_of(market.latest_revision_id).needs_patrol  # created by a veteran
    for revision in (veteran_edit, moderator_edit, staff_edit):
        assert not meta_of(revision.pk).needs_patrol


def test_the_patrol_window_is_the_scoring_setting(market, resident, veteran, territory):
    almost = veteran("almost@example.fr", "Presque", days=13)
    past = veteran("past@example.fr", "Passé", days=15)
    assert in_patrol_window(almost.member) and not in_patrol_window(past.member)
    assert moderation.needs_patrol(almost) and not moderation.needs_patrol(past)
    assert not moderation.needs_patrol(None) and not moderation.needs_patrol(AnonymousUser())
    scoring = ScoringSettings.for_site(territory["home"].get_site())
    scoring.patrol_window_days = 0
    scoring.save()
    assert not moderation.needs_patrol(resident)
    assert not meta_of(edit(market, resident, TEXT + ADDITION).revision.pk).needs_patrol


def test_flag_and_scoring_agree(market, resident):
    """The revisions flagged for moderators are exactly the edits the scoring holds back."""
    revision = edit(market, resident, TEXT + ADDITION).revision
    assert meta_of(revision.pk).needs_patrol
    assert awaiting_patrol(resident.member)[0] == 1


# mark_patrolled ---------------------------------------------------------------------------------


def test_patrolling_lets_a_new_members_edit_score_once(market, resident, moderator):
    revision = edit(market, resident, TEXT + ADDITION).revision
    assert edit_points(resident) == 0
    assert awaiting_patrol(resident.member) == (1, 1)
    assert moderation.mark_patrolled(moderator, [revision.pk]) == [revision.pk]
    meta = meta_of(revision.pk)
    assert not meta.needs_patrol and meta.patrolled_by == moderator and meta.patrolled_at is not None
    edit_line = lines(Kind.EDIT, revision=revision).get()
    patrol = lines(Kind.PATROLLED).get()
    assert (patrol.concerns, patrol.member, patrol.revision_id) == (edit_line, moderator.member, revision.pk)
    assert edit_points(resident) == 1
    assert awaiting_patrol(resident.member) == (0, 0)
    # Twice, or with junk: no second line.
    assert moderation.mark_patrolled(moderator, [revision.pk, "junk", None, 999_999]) == []
    assert lines(Kind.PATROLLED).count() == 1


def test_patrolling_a_new_page_points_at_its_creation_line(territory, write_page, resident, moderator):
    page = write_page(territory["genicart"], "La piscine", "Bassin de 25 m.")
    assert moderation.mark_patrolled(moderator, [page.latest_revision_id])
    assert lines(Kind.PATROLLED).get().concerns == lines(Kind.PAGE_CREATED).get()


def test_only_moderators_and_staff_patrol(market, resident, moderator, staff):
    revision = edit(market, resident, TEXT + ADDITION).revision
    for user in (None, AnonymousUser(), resident):
        with pytest.raises(PermissionDenied):
            moderation.mark_patrolled(user, [revision.pk])
    assert meta_of(revision.pk).needs_patrol
    assert moderation.mark_patrolled(staff, [revision.pk]) == [revision.pk]
    assert permissions.can_patrol(moderator) and permissions.can_hide(staff)
    assert not permissions.can_patrol(resident) and not permissions.can_hide(AnonymousUser())


# revert_and_patrol -------------------------------------------------------------------------------


def test_revert_and_patrol(market, resident, moderator):
    revision = edit(market, resident, TEXT + ADDITION).revision
    moderation.revert_and_patrol(moderator, market, revision.pk)
    assert fresh(market).body == TEXT
    meta = meta_of(revision.pk)
    assert meta.reverted and not meta.needs_patrol and meta.patrolled_by == moderator
    assert lines(Kind.REVERTED).count() == 1 and lines(Kind.PATROLLED).count() == 1
    assert edit_points(resident) == 0  # reverted: voided


def test_revert_and_patrol_saves_nothing_when_the_undo_fails(territory, write_page, resident, moderator):
    page = write_page(territory["genicart"], "La piscine", "Bassin de 25 m.")
    with pytest.raises(ValidationError):
        moderation.revert_and_patrol(moderator, page, page.latest_revision_id)  # a creation cannot be undone
    assert meta_of(page.latest_revision_id).needs_patrol
    assert not lines(Kind.PATROLLED).exists()
    with pytest.raises(services.InvalidRevision):
        moderation.revert_and_patrol(moderator, page, 999_999)
    with pytest.raises(PermissionDenied):
        moderation.revert_and_patrol(resident, page, page.latest_revision_id)


# hide_revision -----------------------------------------------------------------------------------------


@pytest.fixture
def vandalised(market, resident, moderator):
    """A newcomer's vandalism, undone by a moderator: its revision is old, so it can be hidden."""
    vandalism = edit(market, resident, TEXT + "\n\nINSULTE-SECRETE", summary="RESUME-SECRET").revision
    services.undo(moderator, fresh(market), vandalism.pk)
    return fresh(market), vandalism


def test_hiding_a_revision(vandalised, moderator, resident):
    page, vandalism = vandalised
    meta = moderation.hide_revision(moderator, page, vandalism.pk, "  Insulte   envers un voisin ")
    meta = meta_of(vandalism.pk)
    assert meta.hidden and meta.hidden_by == moderator and meta.hidden_reason == "Insulte envers un voisin"
    hidden_line = lines(Kind.HIDDEN).get()
    assert hidden_line.concerns == lines(Kind.EDIT, revision=vandalism).get()
    assert hidden_line.member == moderator.member and hidden_line.facts["reason"] == "Insulte envers un voisin"
    # A moderator looked at it: it leaves the patrol queue.
    assert not meta.needs_patrol and not moderation.patrol_queue().filter(revision_id=vandalism.pk).exists()
    # Again: nothing changes, nothing recorded twice.
    moderation.hide_revision(moderator, page, vandalism.pk, "autre raison")
    assert lines(Kind.HIDDEN).count() == 1 and meta_of(vandalism.pk).hidden_reason == "Insulte envers un voisin"
    assert moderation.is_hidden(page, vandalism.pk)


def test_a_hidden_edit_loses_its_points(market, veteran, moderator):
    karim = veteran("karim.old@example.fr", "Karim Ancien")
    revision = edit(market, karim, TEXT + ADDITION).revision
    edit(market, moderator, TEXT + ADDITION + " Fin.")
    assert edit_points(karim) == 1
    moderation.hide_revision(moderator, fresh(market), revision.pk, "Données personnelles")
    assert edit_points(karim) == 0


def test_the_current_version_cannot_be_hidden(market, resident, moderator):
    revision = edit(market, resident, TEXT + ADDITION).revision
    with pytest.raises(ValidationError) as error:
        moderation.hide_revision(moderator, fresh(market), revision.pk, "Insulte")
    assert str(revision.pk) in " ".join(error.value.messages)  # "#8" in English, "n° 8" in French
    assert not meta_of(revision.pk).hidden and not lines(Kind.HIDDEN).exists()


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 256])
def test_hiding_needs_a_reason(vandalised, moderator, reason):
    page, vandalism = vandalised
    with pytest.raises(ValidationError) as error:
        moderation.hide_revision(moderator, page, vandalism.pk, reason)
    assert "reason" in error.value.message_dict
    assert not meta_of(vandalism.pk).hidden


def test_hiding_refuses_unknown_revisions_and_other_roles(vandalised, moderator, resident, territory, write_page):
    page, vandalism = vandalised
    other = write_page(territory["palmer"], "Autre page", "Texte.")
    for revision_id in (999_999, "abc", other.latest_revision_id):
        with pytest.raises(services.InvalidRevision):
            moderation.hide_revision(moderator, page, revision_id, "Insulte")
    for user in (None, AnonymousUser(), resident):
        with pytest.raises(PermissionDenied):
            moderation.hide_revision(user, page, vandalism.pk, "Insulte")
    assert not lines(Kind.HIDDEN).exists()


# The patrol queue (Wagtail admin) ------------------------------------------------------------------


@pytest.fixture
def queue(territory, write_page, nadia, resident, other_resident):
    """Unpatrolled edits in Lormont (Génicart) and Cenon (Palmer)."""
    market = write_page(territory["genicart"], "Le marché", TEXT, user=nadia)
    garden = write_page(territory["palmer"], "Jardin partagé", "Un jardin.", user=nadia)
    market_edit = edit(market, resident, TEXT + ADDITION, summary="fromages").revision
    garden_edit = edit(garden, other_resident, "Un grand jardin partagé.", summary="agrandi").revision
    return {"market": market, "garden": garden, "market_edit": market_edit, "garden_edit": garden_edit}


def test_patrol_queue_permissions(client, queue, any_role):
    role, user = any_role
    if user:
        client.force_login(user)
    response = client.get(QUEUE)
    if role in ("moderator", "staff"):
        assert response.status_code == 200
        assert has(response.text, "fromages")
    else:
        assert response.status_code == 302
        assert "fromages" not in client.get(response.url).text


def test_an_admin_user_who_is_not_a_moderator_is_refused(client, queue, make_user):
    editor = make_user("editor@example.fr", pseudonym="Editrice")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert QUEUE not in client.get("/admin/").text
    response = client.get(QUEUE)
    assert (response.status_code, response.url) == (302, "/admin/")
    response = client.post(ACTION, {"patrol": queue["market_edit"].pk})
    assert (response.status_code, response.url) == (302, "/admin/")
    assert meta_of(queue["market_edit"].pk).needs_patrol


def test_the_menu_shows_the_queue_to_moderators(client, moderator):
    client.force_login(moderator)
    assert QUEUE in client.get("/admin/").text


def test_the_queue_lists_unpatrolled_revisions(client, queue, moderator):
    client.force_login(moderator)
    response = client.get(QUEUE)
    rows = list(response.context["rows"])
    assert [meta.revision_id for meta in rows] == [queue["market_edit"].pk, queue["garden_edit"].pk]
    assert [meta.commune_title for meta in rows] == ["Lormont", "Cenon"]
    html = response.text
    for text in ("Le marché", "Jardin partagé", "Nadia", "Karim", "fromages", "agrandi", "Lormont", "Cenon"):
        assert has(html, text)
    assert f"{queue['market'].url}changes/{queue['market_edit'].pk}/" in html
    assert f'name="patrol" value="{queue["market_edit"].pk}"' in html
    assert f'name="revert" value="{queue["market_edit"].pk}"' in html
    assert 'name="patrol_shown"' in html
    newest = client.get(QUEUE, {"order": "newest"}).context["rows"]
    assert [meta.revision_id for meta in newest] == [queue["garden_edit"].pk, queue["market_edit"].pk]
    by_commune = client.get(QUEUE, {"commune": "cenon"}).context["rows"]
    assert [meta.revision_id for meta in by_commune] == [queue["garden_edit"].pk]


@pytest.mark.parametrize("query", [{"commune": "nowhere"}, {"order": "sideways"}])
def test_bad_filters_are_explained(client, queue, moderator, query):
    client.force_login(moderator)
    response = client.get(QUEUE, query)
    assert response.status_code == 400
    assert 'role="alert"' in response.text


def test_bad_page_numbers_fall_back(client, queue, moderator):
    client.force_login(moderator)
    for number in ("99", "abc", "-1"):
        assert client.get(QUEUE, {"page": number}).status_code == 200


def test_mark_one_revision_patrolled(client, queue, moderator):
    client.force_login(moderator)
    response = client.post(ACTION, {"patrol": queue["market_edit"].pk, "next": f"{QUEUE}?commune=lormont"})
    assert (response.status_code, response.url) == (302, f"{QUEUE}?commune=lormont")
    assert not meta_of(queue["market_edit"].pk).needs_patrol
    assert meta_of(queue["garden_edit"].pk).needs_patrol
    assert lines(Kind.PATROLLED).count() == 1
    client.post(ACTION, {"patrol": queue["market_edit"].pk})
    assert lines(Kind.PATROLLED).count() == 1
    assert [meta.revision_id for meta in client.get(QUEUE).context["rows"]] == [queue["garden_edit"].pk]


def test_mark_all_shown_patrolled(client, queue, staff):
    client.force_login(staff)
    shown = [queue["market_edit"].pk, queue["garden_edit"].pk]
    response = client.post(ACTION, {"patrol_shown": "1", "shown": shown})
    assert response.status_code == 302 and response.url == QUEUE
    assert not RevisionMeta.objects.filter(needs_patrol=True).exists()
    assert lines(Kind.PATROLLED).count() == 2
    assert gettext("Nothing waits for a patrol. Thank you!") in client.get(QUEUE).text


def test_revert_from_the_queue(client, queue, moderator):
    client.force_login(moderator)
    response = client.post(ACTION, {"revert": queue["market_edit"].pk})
    assert response.status_code == 302
    assert fresh(queue["market"]).body == TEXT
    meta = meta_of(queue["market_edit"].pk)
    assert meta.reverted and not meta.needs_patrol


def test_revert_of_a_page_creation_is_explained(client, territory, write_page, resident, moderator):
    page = write_page(territory["genicart"], "La piscine", "Bassin de 25 m.")
    client.force_login(moderator)
    response = client.post(ACTION, {"revert": page.latest_revision_id}, follow=True)
    assert response.status_code == 200
    assert has(response.text, gettext("The creation of a page cannot be undone."))
    assert meta_of(page.latest_revision_id).needs_patrol


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"patrol": "abc"},
        {"patrol": "999999"},
        {"revert": "999999"},
        {"revert": "-3"},
        {"patrol": "1", "revert": "1"},
        {"patrol_shown": "1", "shown": ["1", "x"]},
        {"patrol_shown": "1"},
        {"patrol": "1", "next": "https://evil.example/"},
    ],
)
def test_bad_patrol_input_never_fails(client, queue, moderator, data):
    client.force_login(moderator)
    response = client.post(ACTION, data)
    assert response.status_code == 302 and response.url == QUEUE
    assert RevisionMeta.objects.filter(needs_patrol=True).count() == 2


def test_patrol_actions_by_role(client, queue, any_role):
    role, user = any_role
    if user:
        client.force_login(user)
    client.post(ACTION, {"patrol": queue["market_edit"].pk})
    client.post(ACTION, {"revert": queue["garden_edit"].pk})
    patrolled = not meta_of(queue["market_edit"].pk).needs_patrol
    reverted = meta_of(queue["garden_edit"].pk).reverted
    assert patrolled is reverted is (role in ("moderator", "staff"))
    assert client.get(ACTION).status_code in (302, 405)


def test_patrol_actions_need_the_csrf_token(queue, moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.post(ACTION, {"patrol": queue["market_edit"].pk}).status_code == 403
    assert meta_of(queue["market_edit"].pk).needs_patrol


def test_the_queue_query_count_does_not_grow(client, territory, resident, moderator, django_assert_max_num_queries):
    client.force_login(moderator)
    counts = []
    for size in (2, 20):
        for i in range(size):
            parent = territory["genicart"] if i % 2 else territory["palmer"]
            page = add_page(parent, WikiPage(title=f"Page {size}-{i}", slug=f"page-{size}-{i}", body="Texte."))
            page.body = "Texte plus long."
            page.save_revision(user=resident, summary=f"modif {i}")
        measured = []
        for query in ("", "?commune=lormont&order=newest"):
            client.get(QUEUE + query)  # Wagtail caches the site's root paths again after the pages were added
            with django_assert_max_num_queries(25) as queries:
                response = client.get(QUEUE + query)
            assert response.status_code == 200
            measured.append(len(queries))
        counts.append(measured)
    assert len(client.get(QUEUE).context["rows"]) == 22
    assert counts[0] == counts[1]


# Hiding from the public history ---------------------------------------------------------------


def hide_url(page, revision_id):
    return f"/admin/patrol/pages/{page.pk}/hide/{revision_id}/"


def test_hide_from_the_history(client, vandalised, moderator):
    page, vandalism = vandalised
    client.force_login(moderator)
    html = client.get(page.url + "history/").text
    assert hide_url(page, vandalism.pk) in html
    assert hide_url(page, page.latest_revision_id) not in html  # the current version cannot be hidden
    assert f'for="hide-reason-{vandalism.pk}"' in html
    response = client.post(hide_url(page, vandalism.pk), {"reason": "Insulte"})
    assert response.status_code == 302 and response.url == f"{page.url}history/#v{vandalism.pk}"
    assert meta_of(vandalism.pk).hidden


def test_hide_by_role(client, vandalised, any_role):
    role, user = any_role
    page, vandalism = vandalised
    if user:
        client.force_login(user)
    response = client.post(hide_url(page, vandalism.pk), {"reason": "Insulte"})
    assert response.status_code == 302
    assert meta_of(vandalism.pk).hidden is (role in ("moderator", "staff"))


@pytest.mark.parametrize("case", ["empty reason", "current", "other page", "unknown", "long reason"])
def test_bad_hide_input_is_explained(client, vandalised, moderator, territory, write_page, case):
    page, vandalism = vandalised
    other = write_page(territory["palmer"], "Autre page", "Texte.")
    revision_id, reason, message = {
        "empty reason": (vandalism.pk, "  ", "Give the reason for hiding this version: other moderators will read it."),
        "current": (page.latest_revision_id, "Insulte", "it cannot be hidden"),
        "other page": (
            other.latest_revision_id,
            "Insulte",
            "This version of the page does not exist. Reload the page and try again.",
        ),
        "unknown": (999_999, "Insulte", "This version of the page does not exist. Reload the page and try again."),
        "long reason": (vandalism.pk, "x" * 300, None),
    }[case]
    client.force_login(moderator)
    response = client.post(hide_url(page, revision_id), {"reason": reason}, follow=True)
    assert response.status_code == 200
    assert 'class="message message-error"' in response.text
    if message and case != "current":
        assert has(response.text, gettext(message))
    assert not RevisionMeta.objects.filter(hidden=True).exists()


def test_hide_of_an_unknown_or_non_wiki_page_is_not_found(client, vandalised, moderator, territory):
    _page, vandalism = vandalised
    client.force_login(moderator)
    assert client.post(f"/admin/patrol/pages/999999/hide/{vandalism.pk}/", {"reason": "x"}).status_code == 404
    commune = territory["lormont"]
    assert client.post(hide_url(commune, commune.latest_revision_id), {"reason": "x"}).status_code == 404
    assert client.get(hide_url(_page, vandalism.pk)).status_code == 405
