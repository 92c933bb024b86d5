"""Members' rights: download all one's data, delete one's account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from wagtail.models import Revision

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
