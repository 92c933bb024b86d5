"""The "Most engaged residents" report in the Wagtail admin."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.utils.translation import gettext

from members.access import can_view_engagement_report
from members.activity import Kind, record

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
    rows = [(s.member.pseudonym, s.score, s.member.accept_invitations) for s in response.context["rows"]]
    assert rows == [("Nour", 45, True), ("Karim", 18, False)]
    assert "Nour" in response.text
    assert gettext("Most engaged residents") in response.text


def test_report_filters_and_sorts(client, staff, residents, territory):
    client.force_login(staff)
    response = client.get(REPORT, {"commune": territory["cenon"].pk})
    assert [s.member.pseudonym for s in response.context["rows"]] == ["Karim"]
    response = client.get(REPORT, {"sort": "pseudonym"})
    assert [s.member.pseudonym for s in response.context["rows"]] == ["Karim", "Nour"]
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


# Every eligible member, workshops, exports --------------------------------------------------------


def registration(member, workshop, status):
    from workshops.models import Registration

    return Registration.objects.create(member=member, workshop=workshop, status=status)


def old_lines(member, territory, n=3, days=60):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(n):
        record(member, Kind.PAGE_CREATED, page=territory["carriet"], at=timezone.now() - timedelta(days=days))


def test_report_lists_eligible_members_without_points_in_the_period(client, staff, residents, territory, veteran):
    quiet = veteran("quiet@example.fr", "Quiet")
    old_lines(quiet, territory)
    newcomer = veteran("new@example.fr", "Newcomer", days=1)  # not eligible: too young
    record(newcomer, Kind.PAGE_CREATED, page=territory["carriet"])
    client.force_login(staff)
    rows = client.get(REPORT, {"period": "7d"}).context["rows"]
    assert [(r.member.pseudonym, r.score, r.rank) for r in rows] == [
        ("Nour", 45, 1),
        ("Karim", 18, 2),
        ("Quiet", 0, None),
    ]
    # With a territory: members who scored there or who live there.
    Member = quiet.__class__
    Member.objects.filter(pk=quiet.pk).update(commune=territory["cenon"])
    rows = client.get(REPORT, {"period": "7d", "commune": territory["cenon"].pk}).context["rows"]
    assert [r.member.pseudonym for r in rows] == ["Karim", "Quiet"]


def test_report_counts_workshops_attended_and_no_shows(client, moderator, residents, make_workshop):
    past = [make_workshop(), make_workshop(), make_workshop()]
    registration(residents["nour"], past[0], "attended")
    registration(residents["nour"], past[1], "absent")
    registration(residents["nour"], past[2], "absent")
    registration(residents["karim"], past[0], "confirmed")
    client.force_login(moderator)
    rows = client.get(REPORT).context["rows"]
    assert [(r.member.pseudonym, r.attended, r.no_shows) for r in rows] == [("Nour", 1, 2), ("Karim", 0, 0)]
    rows = client.get(REPORT, {"never_attended": "on"}).context["rows"]
    assert [r.member.pseudonym for r in rows] == ["Karim"]
    rows = client.get(REPORT, {"sort": "no_shows"}).context["rows"]
    assert rows[0].member.pseudonym == "Nour"


def test_report_xlsx_export(client, staff, residents):
    from openpyxl import load_workbook

    client.force_login(staff)
    response = client.get(REPORT, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][:3] == (1, "Nour", 45)
    assert client.get(REPORT, {"format": "pdf"}).status_code == 400


def test_report_shows_a_weekly_chart_with_its_numbers(client, staff, residents):
    client.force_login(staff)
    response = client.get(REPORT)
    assert 'role="img"' in response.text
    assert "<title>" in response.text
    assert response.context["chart"]["total"] == 7  # 3 attendances, 3 pages, 1 edit this week


@pytest.mark.parametrize("extra", [0, 6])
def test_report_query_count_is_flat(
    client, staff, residents, territory, veteran, make_workshop, extra, django_assert_max_num_queries
):
    workshop = make_workshop()
    for n in range(extra):
        member = veteran(f"m{n}@example.fr", f"Membre {n}")
        old_lines(member, territory, days=2)
        registration(member, workshop, "attended" if n % 2 else "absent")
    client.force_login(staff)
    client.get(REPORT)  # warm the session and site caches
    # 25 before the theme filter's list of themes; 27 since the computation also keeps the public ranking
    with django_assert_max_num_queries(27):
        response = client.get(REPORT, {"period": "30d", "sort": "attended"})
    assert len(response.context["rows"]) == 2 + extra


# Inviting from the report -------------------------------------------------------------------------------


INVITE = "/admin/engaged-residents/invite/"
GONE = "One of the selected residents no longer exists. Reload the report."
CLOSED = "This workshop is not open for invitations any more. Choose another one."


def test_invite_selected_rows(client, staff, residents, make_workshop):
    from workshops.models import Registration

    workshop = make_workshop()
    client.force_login(staff)
    page = client.get(REPORT)
    assert workshop.title in page.text
    response = client.post(
        INVITE,
        {"members": [residents["nour"].pk, residents["karim"].pk], "workshop": workshop.pk, "query": "period=30d"},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert [r.member for r in result.invited] == [residents["nour"]]
    assert [m for m, _reason in result.not_invitable] == [residents["karim"]]
    assert gettext("has not agreed to be invited to workshops") in response.text
    assert response.context["back"] == REPORT + "?period=30d"
    assert Registration.objects.get(member=residents["nour"]).status == "invited"
    again = client.post(INVITE, {"members": [residents["nour"].pk], "workshop": workshop.pk})
    assert [m for m, _status in again.context["result"].already] == [residents["nour"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"workshop": "WORKSHOP"}, "Select at least one resident to invite."),
        ({"members": ["abc"], "workshop": "WORKSHOP"}, GONE),
        ({"members": ["999999"], "workshop": "WORKSHOP"}, GONE),
        ({"members": ["²"], "workshop": "WORKSHOP"}, GONE),
        ({"members": ["9" * 30], "workshop": "WORKSHOP"}, GONE),
        ({"members": ["-1"], "workshop": "WORKSHOP"}, GONE),
        ({"members": ["NOUR"]}, "Choose the workshop to invite them to."),
        ({"members": ["NOUR"], "workshop": "PAST"}, CLOSED),
        ({"members": ["NOUR"], "workshop": "x"}, CLOSED),
    ],
)
def test_invite_bad_input_gives_a_clear_message(client, staff, residents, make_workshop, data, message):
    from datetime import timedelta

    from django.utils import timezone

    workshop = make_workshop()
    past = make_workshop(starts_at=timezone.now() - timedelta(days=3))
    swap = {"WORKSHOP": workshop.pk, "PAST": past.pk, "NOUR": residents["nour"].pk}
    data = {
        key: [swap.get(v, v) for v in value] if isinstance(value, list) else swap.get(value, value)
        for key, value in data.items()
    }
    client.force_login(staff)
    response = client.post(INVITE, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == REPORT
    assert gettext(message) in [str(m) for m in response.context["messages"]]


def test_invite_permissions(client, any_role, residents, make_workshop):
    from workshops.models import Registration

    role, user = any_role
    workshop = make_workshop()
    if user:
        client.force_login(user)
    response = client.post(INVITE, {"members": [residents["nour"].pk], "workshop": workshop.pk})
    invited = Registration.objects.filter(workshop=workshop).exists()
    if role in ("moderator", "staff"):
        assert response.status_code == 200 and invited
    else:
        assert response.status_code in (302, 403) and not invited
    assert client.get(INVITE).status_code in (302, 405)


# Member detail -------------------------------------------------------------------------------------------------


def test_member_detail_permissions(client, any_role, residents):
    role, user = any_role
    if user:
        client.force_login(user)
    response = client.get(f"{REPORT}{residents['karim'].pk}/")
    if role in ("moderator", "staff"):
        assert response.status_code == 200
        assert response.context["standing"].score == 18
    else:
        assert response.status_code in (302, 403)


def test_member_detail_shows_profile_breakdown_chart_and_contributions(client, staff, residents, make_workshop):
    registration(residents["nour"], make_workshop(), "absent")
    client.force_login(staff)
    report = client.get(REPORT)
    url = f"{REPORT}{residents['nour'].pk}/"
    assert url in report.text
    response = client.get(url)
    assert response.context["no_shows"] == 1
    assert response.context["chart"]["total"] == 3
    assert len(response.context["lines"]) == 3
    assert 'role="img"' in response.text and 'class="w-sr-only"' in response.text
    assert client.get(f"{REPORT}999999/").status_code == 404
    assert client.get(f"{REPORT}abc/").status_code == 404


@pytest.mark.parametrize("extra", [0, 10])
def test_member_detail_query_count_is_flat(client, staff, residents, territory, extra, django_assert_max_num_queries):
    old_lines(residents["nour"], territory, n=extra, days=20)
    client.force_login(staff)
    url = f"{REPORT}{residents['nour'].pk}/"
    client.get(url)
    with django_assert_max_num_queries(30):
        client.get(url)


def test_is_staff_without_a_group_may_see_the_report_as_they_moderate_everywhere_else(make_user):
    """Opening the Wagtail admin at all still takes its access permission (a group gives it)."""
    from members.access import can_invite_from_report
    from wiki.permissions import is_moderator
    from workshops.permissions import can_manage

    boss = make_user("boss@example.fr", is_staff=True)
    assert can_view_engagement_report(boss)
    assert can_invite_from_report(boss)
    assert can_manage(boss)
    assert is_moderator(boss)


def test_member_detail_links_to_inviting_them_to_the_workshops_open_for_invitations(
    client, staff, residents, make_workshop
):
    from datetime import timedelta

    from django.utils import timezone

    open_one = make_workshop(title="Atelier ouvert")
    make_workshop(title="Atelier clos", registration_deadline=timezone.now() - timedelta(hours=1))
    make_workshop(title="Atelier passé", starts_at=timezone.now() - timedelta(days=2))
    client.force_login(staff)
    nour = residents["nour"]
    link = f"/workshops-rsvp/invite/?members={nour.pk}"
    assert link in client.get(f"{REPORT}{nour.pk}/").text
    assert link not in client.get(f"{REPORT}{residents['karim'].pk}/").text  # Karim refuses invitations

    response = client.get(link)
    assert [workshop.title for workshop, _url in response.context["choices"]] == ["Atelier ouvert"]
    assert f"{open_one.url}invite/?members={nour.pk}" in response.text
    report = client.get(REPORT)
    assert [w.title for w in report.context["invite_form"].fields["workshop"].queryset] == ["Atelier ouvert"]


@pytest.mark.parametrize("count", [1, 6])
def test_the_invite_chooser_reads_a_flat_number_of_queries(
    client, staff, residents, make_workshop, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_workshop()
    client.force_login(staff)
    link = f"/workshops-rsvp/invite/?members={residents['nour'].pk}"
    client.get(link)
    with django_assert_max_num_queries(12):
        response = client.get(link)
    assert len(response.context["choices"]) == count
