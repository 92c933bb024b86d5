"""The "Most engaged residents" report in the Wagtail admin."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.utils.translation import gettext

from members.activity import Kind, record
from members.permissions import can_view_engagement_report

pytestmark = pytest.mark.django_db

REPORT = "/admin/engaged-residents/"


@pytest.fixture
def residents(territory, veteran):
    nour = veteran("nour@example.fr", "Nour")  # private, accepts invitations
    nour.accept_invitations = True
    nour.save()
    karim = veteran("karim@example.fr", "Karim", show_on_leaderboard=True)
    for _ in range(3):
        record(nour, Kind.WORKSHOP_ATTENDED, page=territory["genicart"])
        record(karim, Kind.PAGE_CREATED, page=territory["palmer"])
    record(karim, Kind.EDIT, page=territory["palmer"], chars_changed=500)
    return {"nour": nour, "karim": karim}


def test_report_permissions(client, territory, any_role):
    role, user = any_role
    if user:
        client.force_login(user)
    response = client.get(REPORT)
    if role in ("moderator", "staff"):
        assert response.status_code == 200
        assert can_view_engagement_report(user)
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)
        assert not can_view_engagement_report(user)


def test_report_lists_every_eligible_member_with_consents(client, staff, residents):
    client.force_login(staff)
    response = client.get(REPORT)
    rows = [(s.member.pseudonym, s.score, s.member.accept_invitations) for s in response.context["standings"]]
    assert rows == [("Nour", 45, True), ("Karim", 18, False)]
    assert "Nour" in response.text
    assert gettext("Most engaged residents") in response.text


def test_report_filters_and_sorts(client, staff, residents, territory):
    client.force_login(staff)
    response = client.get(REPORT, {"commune": territory["cenon"].pk})
    assert [s.member.pseudonym for s in response.context["standings"]] == ["Karim"]
    response = client.get(REPORT, {"sort": "pseudonym"})
    assert [s.member.pseudonym for s in response.context["standings"]] == ["Karim", "Nour"]
    assert client.get(REPORT, {"sort": "nonsense"}).status_code == 400
    assert client.get(REPORT, {"period": "1y"}).status_code == 400


def test_report_csv_export(client, moderator, residents):
    client.force_login(moderator)
    response = client.get(REPORT, {"format": "csv", "period": "30d"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert rows[1][:3] == ["1", "Nour", "45"]
    assert rows[2][1] == "Karim"


def test_menu_item_only_for_staff_and_moderators(client, staff, make_user):
    client.force_login(staff)
    assert REPORT in client.get("/admin/").text
    editor = make_user("editor@example.fr", pseudonym="Editrice", is_staff=False)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert REPORT not in response.text
    response = client.get(REPORT)
    assert (response.status_code, response.url) == (302, "/admin/")  # Wagtail's answer to PermissionDenied
