"""wiki.services: creating and editing pages, concurrent edits, undo, restore, rollback."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageLogEntry

from members.models import Activity
from tests.wiki.conftest import edit
from wiki import services
from wiki.models import BODY_MAX_LENGTH, ProjectPage, RevisionMeta, WikiPage
from wiki.services import EditConflict, InvalidRevision

pytestmark = pytest.mark.django_db

THREE_PARAGRAPHS = "Le marché a lieu le samedi.\n\nIl y a des fruits et des légumes.\n\nOn y trouve aussi du poisson."


def lines(kind, **filters):
    return Activity.objects.filter(kind=kind, **filters)


def revisions_of(page):
    return services.page_revisions(page).order_by("pk")


def fresh(page):
    return page.specific_class.objects.get(pk=page.pk)


# Creating ----------------------------------------------------------------------


def test_create_page_publishes_a_first_revision_by_the_member(territory, resident, write_page):
    page = write_page(territory["genicart"], "Le marché de Génicart", THREE_PARAGRAPHS, summary="Première version")
    assert isinstance(page, WikiPage) and page.live
    assert page.url == "/lormont/genicart/le-marche-de-genicart/"
    revision = page.latest_revision
    assert revision.user == resident and page.live_revision_id == revision.pk
    meta = revision.wiki_meta
    assert (meta.is_new_page, meta.action, meta.summary) == (True, "create", "Première version")
    assert (meta.size, meta.size_change) == (len(THREE_PARAGRAPHS), len(THREE_PARAGRAPHS))
    line = lines(Activity.Kind.PAGE_CREATED).get()
    assert (line.member, line.page_id, line.revision_id) == (resident.member, page.pk, revision.pk)
    assert line.chars_changed == len("".join((page.title + THREE_PARAGRAPHS).split()))
    assert line.facts["summary"] == "Première version"
    assert not lines(Activity.Kind.EDIT).exists()
    # The Wagtail admin's history shows the same, attributed to the member.
    assert PageLogEntry.objects.filter(page=page, user=resident, action="wagtail.create").exists()
    assert PageLogEntry.objects.filter(page=page, user=resident, action="wagtail.publish").exists()


def test_create_project_records_a_new_project(territory, resident, write_page):
    project = write_page(
        territory["palmer"], "Jardin partagé", "Un jardin.", page_type="project", status="consultation", budget=1200
    )
    assert isinstance(project, ProjectPage)
    assert project.status == "consultation" and project.budget == 1200
    assert lines(Activity.Kind.PROJECT_CREATED, page=project).exists()
    assert not lines(Activity.Kind.PAGE_CREATED).exists()


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "texte", "title"),
        ("   ", "texte", "title"),
        ("!!!", "texte", "title"),
        ("Trop long", "x" * (BODY_MAX_LENGTH + 1), "body"),
        ("t" * 256, "texte", "title"),
    ],
)
def test_bad_input_is_refused_with_a_field_error(territory, resident, title, body, field):
    with pytest.raises(ValidationError) as refused:
        services.create_page(resident, territory["genicart"], title, body)
    assert field in refused.value.message_dict
    assert not WikiPage.objects.exists()


def test_crlf_does_not_count_towards_the_size_limit(territory, resident):
    body = ("x" * 99 + "\r\n") * 1000  # 101,000 characters sent, 99,999 kept
    page = services.create_page(resident, territory["genicart"], "Long", body)
    assert len(page.body) == 99_999


def test_slug_collision_with_a_sibling_is_explained(territory, resident, write_page):
    write_page(territory["genicart"], "La piscine")
    with pytest.raises(ValidationError) as refused:
        write_page(territory["genicart"], "La Piscine !")
    assert "La piscine" in refused.value.message_dict["title"][0]
    # Same title elsewhere is fine.
    assert write_page(territory["carriet"], "La piscine").url == "/lormont/carriet/la-piscine/"


def test_reserved_slugs_do_not_shadow_page_actions(territory, resident, write_page):
    assert write_page(territory["genicart"], "History").slug == "history-page"


def test_only_verified_members_create(territory, make_user):
    unverified = make_user("new@example.fr", verified=False)
    with pytest.raises(PermissionDenied):
        services.create_page(unverified, territory["genicart"], "Titre", "")


def test_page_types_go_where_they_belong(territory, resident, write_page):
    article = write_page(territory["genicart"], "Article")
    assert write_page(article, "Sous-article").get_parent().pk == article.pk
    with pytest.raises(ValidationError):
        write_page(article, "Projet", page_type="project")
    with pytest.raises(PermissionDenied):
        write_page(territory["home"], "À la racine")


# Editing ---------------------------------------------------------------------------


def test_edit_saves_a_published_revision_with_its_facts(territory, resident, other_resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    new_body = THREE_PARAGRAPHS.replace("samedi", "samedi matin")
    outcome = edit(page, other_resident, new_body, summary="jour du marché")
    assert not outcome.merged and not outcome.unchanged
    page = fresh(page)
    assert page.body == new_body and page.live_revision_id == outcome.revision.pk
    meta = outcome.revision.wiki_meta
    assert (meta.summary, meta.is_new_page, meta.action) == ("jour du marché", False, "edit")
    assert meta.size_change == len(" matin")
    line = lines(Activity.Kind.EDIT).get()
    assert (line.member, line.revision_id, line.page_id) == (other_resident.member, outcome.revision.pk, page.pk)
    assert line.chars_changed == len("matin")  # spaces do not count
    assert line.facts == {"summary": "jour du marché", "whitespace_only": False, "merged": False}
    assert PageLogEntry.objects.filter(page=page, user=other_resident, action="wagtail.edit").exists()


def test_whitespace_only_edit_changes_no_characters(territory, resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    edit(page, resident, THREE_PARAGRAPHS.replace("\n\n", "\n\n\n").replace(" le ", "  le "))
    line = lines(Activity.Kind.EDIT).get()
    assert line.chars_changed == 0 and line.facts["whitespace_only"] is True


def test_saving_without_change_makes_no_revision(territory, resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    outcome = edit(page, resident, THREE_PARAGRAPHS + "\n\n")
    assert outcome.unchanged
    assert revisions_of(page).count() == 1
    assert not lines(Activity.Kind.EDIT).exists()


def test_unverified_and_anonymous_cannot_edit(territory, resident, make_user, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    from django.contrib.auth.models import AnonymousUser

    for user in (make_user("x@example.fr", verified=False), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            edit(page, user, "vandalisme")
    assert fresh(page).body == THREE_PARAGRAPHS


# Concurrent edits ----------------------------------------------------------------------


def test_interleaved_edits_of_different_parts_are_merged(territory, resident, other_resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    base = page.latest_revision_id
    # Both open the edit form on the same revision; Karim saves first.
    theirs = edit(page, other_resident, THREE_PARAGRAPHS.replace("samedi", "dimanche"), base=base)
    mine = edit(page, resident, THREE_PARAGRAPHS.replace("du poisson", "du fromage"), base=base, summary="fromage")
    assert mine.merged and not mine.unchanged
    page = fresh(page)
    assert page.body == THREE_PARAGRAPHS.replace("samedi", "dimanche").replace("du poisson", "du fromage")
    assert page.latest_revision_id == mine.revision.pk != theirs.revision.pk
    assert mine.revision.wiki_meta.merged
    assert lines(Activity.Kind.EDIT).count() == 2
    assert lines(Activity.Kind.EDIT, member=resident.member).get().facts["merged"] is True


def test_overlapping_interleaved_edits_conflict_and_save_nothing(territory, resident, other_resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    base = page.latest_revision_id
    theirs = edit(page, other_resident, THREE_PARAGRAPHS.replace("samedi", "dimanche"), base=base)
    count = revisions_of(page).count()
    mine = THREE_PARAGRAPHS.replace("samedi", "mercredi")
    with pytest.raises(EditConflict) as conflict:
        edit(page, resident, mine, base=base)
    assert revisions_of(page).count() == count
    assert fresh(page).body == THREE_PARAGRAPHS.replace("samedi", "dimanche")
    assert conflict.value.latest_revision.pk == theirs.revision.pk
    assert conflict.value.base_revision.pk == base
    assert conflict.value.their_content["body"] == THREE_PARAGRAPHS.replace("samedi", "dimanche")
    assert conflict.value.fields == ["body"]
    assert lines(Activity.Kind.EDIT, member=resident.member).count() == 0
    # Merging by hand and saving against the latest revision works.
    merged_by_hand = THREE_PARAGRAPHS.replace("samedi", "mercredi et dimanche")
    outcome = edit(page, resident, merged_by_hand, base=conflict.value.latest_revision.pk)
    assert fresh(page).body == merged_by_hand and not outcome.merged


def test_three_interleaved_editors(territory, resident, other_resident, make_user, write_page):
    third = make_user("lea@example.fr", pseudonym="Léa")
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    base = page.latest_revision_id
    paragraphs = THREE_PARAGRAPHS.split("\n\n")
    for user, index in ((resident, 0), (other_resident, 1), (third, 2)):
        changed = list(paragraphs)
        changed[index] = changed[index].upper()
        edit(page, user, "\n\n".join(changed), base=base)
    assert fresh(page).body == THREE_PARAGRAPHS.upper()


def test_title_changes_merge_and_conflict_like_the_text(territory, resident, other_resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    base = page.latest_revision_id
    edit(page, other_resident, THREE_PARAGRAPHS, title="Le marché du samedi", base=base)
    edit(page, resident, THREE_PARAGRAPHS + "\n\nFin.", base=base)
    assert fresh(page).title == "Le marché du samedi" and fresh(page).body.endswith("Fin.")
    with pytest.raises(EditConflict) as conflict:
        edit(page, resident, THREE_PARAGRAPHS, title="Le grand marché", base=base)
    assert conflict.value.fields == ["title"]


def test_project_facts_merge_field_by_field(territory, resident, other_resident, write_page):
    project = write_page(territory["palmer"], "Jardin", "Un jardin.", page_type="project", status="idea")
    base = project.latest_revision_id
    edit(project, other_resident, "Un jardin partagé.", base=base)
    edit(project, resident, "Un jardin.", base=base, facts={"status": "consultation", "budget": 500})
    project = fresh(project)
    assert (project.body, project.status, project.budget) == ("Un jardin partagé.", "consultation", 500)


@pytest.mark.parametrize("bad", ["", "abc", "999999", None])
def test_unknown_base_revision_is_refused(territory, resident, write_page, bad):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    with pytest.raises(InvalidRevision):
        services.edit_page(resident, page, base_revision_id=bad, title="Le marché", body="x")


def test_a_revision_of_another_page_is_refused(territory, resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    other = write_page(territory["genicart"], "La piscine", "Bassin.")
    with pytest.raises(InvalidRevision):
        services.edit_page(resident, page, base_revision_id=other.latest_revision_id, title="Le marché", body="x")
    assert fresh(page).body == THREE_PARAGRAPHS


def test_invalid_project_dates_are_refused(territory, resident, write_page):
    import datetime

    project = write_page(territory["palmer"], "Jardin", "", page_type="project")
    with pytest.raises(ValidationError) as refused:
        edit(
            project,
            resident,
            "",
            facts={"start_date": datetime.date(2027, 5, 1), "end_date": datetime.date(2027, 4, 1)},
        )
    assert "end_date" in refused.value.message_dict


# Undo, restore, rollback ------------------------------------------------------------------


def three_edits(page, first, second):
    """Revisions: creation, `first` changes paragraph 1, `second` changes paragraph 3."""
    a = edit(page, first, THREE_PARAGRAPHS.replace("samedi", "dimanche")).revision
    b = edit(page, second, THREE_PARAGRAPHS.replace("samedi", "dimanche").replace("poisson", "fromage")).revision
    return a, b


def test_undo_the_latest_edit(territory, resident, other_resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    change = edit(page, other_resident, THREE_PARAGRAPHS + "\n\nPublicité !").revision
    outcome = services.undo(resident, page, change.pk)
    page = fresh(page)
    assert page.body == THREE_PARAGRAPHS
    assert revisions_of(page).count() == 3  # nothing deleted
    meta = RevisionMeta.objects.get(revision=change)
    assert meta.reverted and meta.reverted_by_id == outcome.revision.pk
    undo_meta = outcome.revision.wiki_meta
    assert (undo_meta.action, undo_meta.reverts_id, undo_meta.reverted) == ("undo", change.pk, False)
    reverted = lines(Activity.Kind.REVERTED).get()
    assert reverted.member == resident.member
    assert reverted.concerns == lines(Activity.Kind.EDIT, revision=change).get()
    assert reverted.revision_id == outcome.revision.pk
    # Undoing someone else's edit is an edit of its own in the ledger (members.scoring, rule 4).
    assert lines(Activity.Kind.EDIT, revision=outcome.revision).get().member == resident.member


def test_undo_an_older_edit_keeps_the_later_ones(territory, resident, other_resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    first, _second = three_edits(page, other_resident, resident)
    services.undo(resident, page, first.pk)
    assert fresh(page).body == THREE_PARAGRAPHS.replace("poisson", "fromage")
    assert RevisionMeta.objects.filter(reverted=True).get().revision_id == first.pk


def test_undo_that_conflicts_with_later_edits_changes_nothing(territory, resident, other_resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    first = edit(page, other_resident, THREE_PARAGRAPHS.replace("samedi", "dimanche")).revision
    edit(page, resident, THREE_PARAGRAPHS.replace("samedi", "dimanche après-midi"))
    count = revisions_of(page).count()
    with pytest.raises(EditConflict):
        services.undo(resident, page, first.pk)
    assert revisions_of(page).count() == count
    assert not RevisionMeta.objects.filter(reverted=True).exists()
    assert not lines(Activity.Kind.REVERTED).exists()


def test_the_creation_of_a_page_cannot_be_undone(territory, resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    with pytest.raises(ValidationError):
        services.undo(resident, page, page.latest_revision_id)


def test_restore_an_old_version(territory, resident, other_resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    created = page.latest_revision_id
    first, second = three_edits(page, other_resident, resident)
    outcome = services.restore(other_resident, page, created, summary="retour au début")
    page = fresh(page)
    assert page.body == THREE_PARAGRAPHS and page.latest_revision_id == outcome.revision.pk
    assert set(RevisionMeta.objects.filter(reverted=True).values_list("revision_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    meta = outcome.revision.wiki_meta
    assert (meta.action, meta.reverts_id, meta.summary) == ("restore", created, "retour au début")
    reverted = lines(Activity.Kind.REVERTED).order_by("pk")
    assert [line.concerns.revision_id for line in reverted] == [first.pk, second.pk]
    assert {line.member for line in reverted} == {other_resident.member}
    assert revisions_of(page).count() == 4  # creation, two edits, the restore


def test_restore_the_current_version_is_refused(territory, resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    with pytest.raises(ValidationError):
        services.restore(resident, page, page.latest_revision_id)


def test_restoring_a_foreign_revision_is_refused(territory, resident, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    other = write_page(territory["genicart"], "Autre", "Autre texte")
    with pytest.raises(InvalidRevision):
        services.restore(resident, page, other.latest_revision_id)


def test_moderator_rolls_back_all_consecutive_edits_of_the_last_editor(
    territory, resident, other_resident, moderator, write_page
):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    good = edit(page, resident, THREE_PARAGRAPHS + "\n\nHoraires : 8h-13h.").revision
    bad = [edit(page, other_resident, f"Spam {i}").revision for i in range(3)]
    outcome = services.rollback(moderator, page)
    page = fresh(page)
    assert page.body == THREE_PARAGRAPHS + "\n\nHoraires : 8h-13h."
    assert outcome.revision.wiki_meta.action == "rollback" and outcome.revision.wiki_meta.reverts_id == good.pk
    assert set(RevisionMeta.objects.filter(reverted=True).values_list("revision_id", flat=True)) == {r.pk for r in bad}
    assert lines(Activity.Kind.REVERTED, member=moderator.member).count() == 3


def test_rollback_is_for_moderators_and_needs_another_editor(territory, resident, moderator, staff, write_page):
    page = write_page(territory["genicart"], "Le marché", THREE_PARAGRAPHS)
    edit(page, resident, "Autre texte")
    with pytest.raises(PermissionDenied):
        services.rollback(resident, page)
    with pytest.raises(ValidationError):
        services.rollback(staff, page)  # only Nadia ever edited it
    assert fresh(page).body == "Autre texte"


# Pages made without a revision ----------------------------------------------------------------


def test_creating_under_a_place_made_without_a_revision(territory, resident):
    """Wagtail's save_revision does not take the wiki's `summary`: it crashed on such a parent."""
    from wiki.models import NeighbourhoodPage

    hood = NeighbourhoodPage(title="Bastide", slug="bastide")
    territory["lormont"].add_child(instance=hood)
    assert hood.latest_revision_id is None
    page = services.create_page(resident, hood, "Le parc", "Un parc.")
    assert page.live and page.get_parent().pk == hood.pk


def test_current_revision_of_pages_made_without_one(territory):
    from wagtail.models import Page

    from wiki.models import NeighbourhoodPage

    hood = NeighbourhoodPage(title="Bastide", slug="bastide")
    territory["lormont"].add_child(instance=hood)
    assert services.current_revision(Page.objects.get(pk=hood.pk)) is not None  # a plain Page too
    article = WikiPage(title="Sans version", slug="sans-version", body="Texte")
    territory["genicart"].add_child(instance=article)
    revision = services.current_revision(article)
    assert revision is not None and RevisionMeta.objects.filter(revision=revision).exists()


def test_creating_under_a_wiki_page_made_without_a_revision(client, territory, resident):
    parent = WikiPage(title="Sans version", slug="sans-version", body="Texte", live=True)
    territory["genicart"].add_child(instance=parent)
    client.force_login(resident)
    response = client.post(parent.url + "new/", {"kind": "wiki", "title": "Enfant", "body": "x"})
    assert response.status_code == 302
    assert WikiPage.objects.child_of(parent).filter(title="Enfant").exists()
