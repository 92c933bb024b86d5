"""Members' rights: download all one's data, delete one's account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from wagtail.models import Revision

from members import personal_data
from members.activity import Kind, record
from members.models import Activity, ConsentRecord, Member
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_resident(resident, territory, client):
    client.force_login(resident)
    profile = {"pseudonym": "Nadia", "commune": territory["lormont"].pk}
    client.post("/me/", {**profile, "show_on_leaderboard": "on", "accept_invitations": "on"})
    page = territory["genicart"]
    page.title = "Génicart, le quartier"
    revision = page.save_revision(user=resident)
    record(resident.member, Kind.EDIT, page=page, revision=revision, chars_changed=120)
    return resident


@pytest.mark.parametrize("url", ["/me/export/", "/me/delete/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_export_holds_profile_consents_ledger_and_revisions(client, active_resident, territory):
    response = client.get("/me/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["pseudonym"] == "Nadia"
    assert data["profile"]["email"] == "resident@example.fr"
    assert data["profile"]["home_commune"] == "Lormont"
    assert [(c["consent"], c["given"]) for c in data["consents"]] == [("leaderboard", True), ("invitations", True)]
    assert all(c["recorded_at"] for c in data["consents"])
    assert [(line["kind"], line["characters_changed"]) for line in data["ledger"]] == [("edit", 120)]
    assert [r["title"] for r in data["revisions"]] == ["Génicart, le quartier"]
    assert data["revisions"][0]["created_at"]
    assert data["email_addresses"][0]["email"] == "resident@example.fr"


def test_export_holds_only_ones_own_data(client, active_resident, make_user, territory):
    other = make_user("other@example.fr", pseudonym="Karim")
    record(other.member, Kind.PAGE_CREATED, page=territory["palmer"])
    data = json.loads(client.get("/me/export/").content)
    assert len(data["ledger"]) == 1
    assert "other@example.fr" not in json.dumps(data)


def test_deleting_needs_the_password(client, active_resident):
    assert client.get("/me/delete/").status_code == 200
    response = client.post("/me/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert get_user_model().objects.get(pk=active_resident.pk).is_active


def test_deleting_erases_personal_data_and_keeps_contributions(client, active_resident, caplog):
    member_pk = active_resident.member.pk
    with caplog.at_level("INFO", logger="members.services"):
        response = client.post("/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302

    user = get_user_model().objects.get(pk=active_resident.pk)
    assert not user.is_active and not user.has_usable_password()
    assert "resident" not in user.email and "resident" not in user.username
    assert not EmailAddress.objects.filter(user=user).exists()

    member = Member.objects.get(pk=member_pk)
    assert member.pseudonym != "Nadia"
    assert str(member_pk) in member.pseudonym
    assert member.commune is None
    assert not member.show_on_leaderboard and not member.accept_invitations
    assert ConsentRecord.objects.filter(member=member, given=False).count() == 2

    line = Activity.objects.get()
    assert line.member is None  # detached, not deleted
    assert Revision.objects.get(user=user).object_str == "Génicart, le quartier"

    assert "resident@example.fr" not in caplog.text and "Nadia" not in caplog.text
    assert str(member_pk) in caplog.text

    # Signed out for good.
    assert client.get("/me/").status_code == 302
    assert not client.login(username="resident@example.fr", password=PASSWORD)


def test_the_former_member_label_is_unique(client, active_resident, make_user):
    label = gettext("Former member %(number)s") % {"number": active_resident.member.pk}
    make_user("taken@example.fr", pseudonym=label)
    client.post("/me/delete/", {"password": PASSWORD})
    member = Member.objects.get(pk=active_resident.member.pk)
    assert member.pseudonym != label
    assert Member.objects.filter(pseudonym__iexact=member.pseudonym).count() == 1


# The personal-data registry -----------------------------------------------------------

# Foreign keys to a member or a user that no registered kind answers for, and why.
NOT_PERSONAL_DATA = {
    "wagtailcore.PageLogEntry.user": "Wagtail's audit log of admin actions: the record of who did what stays, "
    "on the anonymised account (the user row is kept)",
    "wagtailcore.ModelLogEntry.user": "Wagtail's audit log of admin actions, as PageLogEntry",
    "wagtailcore.WorkflowState.requested_by": "Wagtail publication workflows (staff only): a decision's record, "
    "kept on the anonymised account",
    "wagtailcore.TaskState.finished_by": "Wagtail publication workflows, as WorkflowState",
    "wagtailimages.Image.uploaded_by_user": "images uploaded by staff in the admin: published content, kept on the "
    "anonymised account (the media app registers when residents upload)",
    "wagtaildocs.Document.uploaded_by_user": "documents uploaded by staff in the admin, as images",
    "wagtailcore.UploadedFile.uploaded_by_user": "the admin's temporary files during a multiple upload, "
    "deleted by Wagtail once the upload is done",
}


def person_keys():
    """Every foreign key or one-to-one to members.Member or the user model, as "app_label.Model.field"."""
    from django.apps import apps

    people = (Member, get_user_model())
    return {
        f"{field.model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model in people
    }


def test_every_key_to_a_member_or_user_is_covered_by_a_registered_kind():
    covered = personal_data.covered_fields()
    keys = person_keys()
    missing = keys - covered.keys() - NOT_PERSONAL_DATA.keys()
    assert not missing, (
        f"No personal-data kind exports and erases {sorted(missing)}: register one (members.personal_data)"
    )
    assert not covered.keys() & NOT_PERSONAL_DATA.keys()
    assert NOT_PERSONAL_DATA.keys() <= keys, "an allowed key no longer exists: drop it"
    # A kind may name the key of an app that is not installed (allauth.socialaccount), never a wrong one.
    from django.apps import apps

    for key in covered.keys() - keys:
        app_label = key.split(".")[0]
        assert not any(config.label == app_label for config in apps.get_app_configs()), f"{key} is not a key"


def test_every_app_registers_with_the_registry():
    identifiers = [kind.identifier for kind in personal_data.registered()]
    assert len(identifiers) == len(set(identifiers))
    assert {"profile", "ledger", "followed_pages", "revisions", "workshop_registrations"} <= set(identifiers)
    assert (
        identifiers.index("profile") < identifiers.index("followed_pages") < identifiers.index("workshop_registrations")
    )  # members first: erasure runs the other way round and anonymises the account last


def test_an_identifier_is_registered_once():
    class Twin(personal_data.PersonalData):
        identifier = "ledger"

    class Nameless(personal_data.PersonalData):
        pass

    before = personal_data.registered()
    for kind in (Twin, Nameless):
        with pytest.raises(ValueError):
            personal_data.register(kind)
    assert personal_data.registered() == before


def test_the_export_is_every_registered_kind_in_plain_json(client, active_resident, staff):
    data = json.loads(client.get("/me/export/").content)
    assert list(data) == ["exported_at"] + [kind.identifier for kind in personal_data.registered()]
    json.dumps(personal_data.export(active_resident.member))  # no default=str needed
    json.dumps(personal_data.export(staff.member))


def test_deleting_a_staff_account_clears_the_admin_and_releases_locks(client, staff, territory):
    from django.utils import timezone
    from wagtail.admin.models import EditingSession
    from wagtail.models import Page, PageSubscription
    from wagtail.users.models import UserProfile

    page = territory["genicart"]
    Page.objects.filter(pk=page.pk).update(locked=True, locked_by=staff, locked_at=timezone.now())
    UserProfile.get_for_user(staff)
    PageSubscription.objects.create(user=staff, page=page, comment_notifications=True)
    EditingSession.objects.create(
        user=staff, content_type=page.content_type, object_id=str(page.pk), last_seen_at=timezone.now()
    )
    client.force_login(staff)
    exported = json.loads(client.get("/me/export/").content)["admin_preferences"]
    assert exported["comment_notifications_on_pages"] == [page.title]
    assert exported["editing_sessions"] == 1

    assert client.post("/me/delete/", {"password": PASSWORD}).status_code == 302

    page = Page.objects.get(pk=page.pk)
    assert not page.locked and page.locked_by is None
    for model in (UserProfile, PageSubscription, EditingSession):
        assert not model.objects.filter(user=staff).exists()


def test_members_imports_no_app_above_it():
    """members.services used to import wiki.models for the export: the apps above register instead."""
    import ast
    from pathlib import Path

    import members

    for path in Path(members.__file__).parent.glob("*.py"):
        if path.name not in ("services.py", "views.py", "personal_data.py"):
            continue  # the other modules belong to other changes; import-linter checks the whole app
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] in ("wiki", "workshops") for name in names), path.name


def test_an_erasure_that_fails_part_way_erases_nothing(active_resident, monkeypatch):
    """Every kind erases in one transaction: a failing kind leaves the account whole, to be deleted again."""
    from members.services import delete_account

    class Failing(personal_data.PersonalData):
        identifier = "failing"

        def erase(self, member):
            raise RuntimeError("storage unavailable")

    # First in the registry, so it erases last: after the account was anonymised.
    monkeypatch.setattr(personal_data, "_registry", {"failing": Failing(), **personal_data._registry})
    with pytest.raises(RuntimeError):
        delete_account(active_resident)
    user = get_user_model().objects.get(pk=active_resident.pk)
    assert user.is_active and user.email == "resident@example.fr"
    assert Member.objects.get(user=user).pseudonym == "Nadia"
    assert Activity.objects.get().member_id == user.member.pk


def test_failed_emails_to_a_member_are_exported_then_erased_and_others_stay(resident):
    """civic.models.MailFailure names addresses: the member's are theirs, a longer address that contains it is not."""
    from civic.models import MailFailure
    from members import personal_data

    member = resident.member
    email = resident.email
    mine = MailFailure.objects.create(kind="digest", recipients=f"{email}", subject="Digest", error="refused")
    other = MailFailure.objects.create(kind="digest", recipients=f"x{email}", subject="Digest", error="refused")
    exported = personal_data.export(member)["failed_emails"]
    assert [row["subject"] for row in exported] == ["Digest"]
    assert len(exported) == 1
    personal_data.erase(member)
    assert not MailFailure.objects.filter(pk=mine.pk).exists()
    assert MailFailure.objects.filter(pk=other.pk).exists()
