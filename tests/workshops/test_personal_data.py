"""What workshops hold about a member: in their export, and gone after they delete their account.

Everything here goes through the real views: sign-up, the emails' RSVP links,
the private feed, /me/export/ and /me/delete/, the check-in page and its CSV.
"""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import Activity
from tests.conftest import PASSWORD
from workshops import services
from workshops.models import CalendarFeed, Registration, RegistrationChange

Status = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(make_member):
    """A signed-in member, and their browser."""
    member = make_member()
    client = Client()
    client.force_login(member.user)
    return member, client


def rsvp_paths(message):
    """The RSVP links of an email, as paths for the test client."""
    return [
        "/" + link.split("//", 1)[1].split("/", 1)[1]
        for link in re.findall(r"https?://\S+/workshops-rsvp/[\w-]+/(?:accept|decline)/", message.body)
    ]


def attendees(client, workshop):
    page = client.get(workshop.url + "check-in/")
    assert page.status_code == 200
    rows = list(csv.reader(io.StringIO(client.get(workshop.url + "check-in/attendees.csv").content.decode())))
    return page.content.decode(), rows[1:]


def delete_account(client):
    response = client.post("/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302


def test_a_registration_is_in_the_export(member_client, make_workshop):
    member, client = member_client
    workshop = make_workshop(title="Jardin partagé")
    assert client.post(workshop.url + "register/").status_code == 302
    client.get(reverse("workshops:my-calendar"))  # creates the private feed

    data = json.loads(client.get("/me/export/").content)

    [registration] = data["workshop_registrations"]
    assert registration["workshop"] == "Jardin partagé"
    assert registration["status"] == "confirmed"
    assert registration["code"] == Registration.objects.get(member=member).code
    assert registration["starts_at"] == workshop.starts_at.isoformat()
    assert [(change["from"], change["to"]) for change in registration["history"]] == [("", "confirmed")]
    feed = CalendarFeed.objects.get(member=member)
    assert data["workshop_calendar_feed"]["url"] == reverse("workshops:member-calendar", args=[feed.secret])


def test_invitations_waiting_places_and_check_ins_are_in_the_export(member_client, make_workshop, make_member, staff):
    member, client = member_client
    invited = make_workshop(title="Sur invitation", registration_mode="invitation")
    full = make_workshop(title="Complet", capacity=1)
    past = make_workshop(title="Passé", starts_at=timezone.now() - timedelta(hours=1))
    services.invite(invited, [member], by=staff)
    services.register(make_member(), full)
    services.register(member, full)
    services.add_walk_in(past, member, by=staff)

    data = json.loads(client.get("/me/export/").content)

    by_title = {item["workshop"]: item for item in data["workshop_registrations"]}
    assert by_title["Sur invitation"]["status"] == "invited" and by_title["Sur invitation"]["invited"]
    assert by_title["Complet"]["status"] == "waitlisted"
    assert by_title["Complet"]["waitlist_position"] == 1
    assert by_title["Passé"]["status"] == "attended" and by_title["Passé"]["checked_in"]
    assert data["workshop_calendar_feed"] is None
    # The staff member's side: counts, never the names of whom they invited.
    staff_client = Client()
    staff_client.force_login(staff)
    organising = json.loads(staff_client.get("/me/export/").content)["workshop_organising"]
    assert organising["invitations_sent"] == [{"workshop": "Sur invitation", "count": 1}]
    assert {row["workshop"] for row in organising["registrations_changed"]} == {"Sur invitation", "Passé"}
    assert member.pseudonym not in json.dumps(organising)


def test_erasure_frees_the_seat_for_the_waiting_list(member_client, make_workshop, make_member):
    member, client = member_client
    workshop = make_workshop(capacity=1)
    client.post(workshop.url + "register/")
    waiting = make_member()
    services.register(waiting, workshop)
    assert Registration.objects.get(member=waiting).status == Status.WAITLISTED
    mail.outbox.clear()

    delete_account(client)

    assert Registration.objects.get(member=waiting).status == Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [[waiting.user.email]]  # "a seat is free for you"
    assert not Registration.objects.filter(member=member).exists()
    assert workshop.seats_left() == 0


def test_erasure_revokes_the_private_calendar_feed(member_client, make_workshop):
    member, client = member_client
    workshop = make_workshop()
    client.post(workshop.url + "register/")
    client.get(reverse("workshops:my-calendar"))
    url = reverse("workshops:member-calendar", args=[CalendarFeed.objects.get(member=member).secret])
    feed = Client().get(url)
    assert feed.status_code == 200 and workshop.uid.encode() in feed.content

    delete_account(client)

    assert Client().get(url).status_code == 404
    assert not CalendarFeed.objects.filter(member=member).exists()


def test_erasure_kills_the_rsvp_links(member_client, make_workshop, staff):
    member, client = member_client
    invited = make_workshop(registration_mode="invitation")
    services.invite(invited, [member], by=staff)
    [invitation] = mail.outbox
    links = rsvp_paths(invitation)
    assert len(links) == 2
    assert all(Client().get(path).status_code == 200 for path in links)

    delete_account(client)

    for path in links:
        assert Client().get(path).status_code == 404
        assert Client().post(path).status_code == 404
    assert not Registration.objects.filter(member=member).exists()


def test_erasure_removes_them_from_the_attendees_list_and_csv(member_client, make_workshop, staff):
    member, client = member_client
    upcoming = make_workshop()
    past = make_workshop(starts_at=timezone.now() - timedelta(hours=1))
    client.post(upcoming.url + "register/")
    services.add_walk_in(past, member, by=staff)
    staff_client = Client()
    staff_client.force_login(staff)
    for workshop in (upcoming, past):
        page, rows = attendees(staff_client, workshop)
        assert member.pseudonym in page
        assert [row[0] for row in rows] == [member.pseudonym]
    pseudonym, email = member.pseudonym, member.user.email

    delete_account(client)

    member.refresh_from_db()
    for workshop in (upcoming, past):
        page, rows = attendees(staff_client, workshop)
        assert pseudonym not in page and member.pseudonym not in page
        assert rows == []
        assert email not in page
    assert not RegistrationChange.objects.filter(registration__member=member).exists()
    # The attendance stays in the ledger, detached from them, as every line does.
    line = Activity.objects.get(kind="workshop_attended")
    assert line.member is None


def test_erasing_a_wave_invitee_invites_the_next_member(member_client, make_workshop, make_member, monkeypatch):
    from types import SimpleNamespace

    from workshops import waves
    from workshops.models import InvitationWave

    member, client = member_client
    other = make_member()
    # The ranking itself is tested in tests/members; the wave's own rules (consent, active account) run here.
    monkeypatch.setattr(waves, "rank_members", lambda **kwargs: [SimpleNamespace(member=m) for m in (member, other)])
    wave = InvitationWave.objects.create(workshop=make_workshop(capacity=5), reserved_seats=1)
    assert [r.member for r in waves.fill_wave(wave)] == [member]

    delete_account(client)

    assert list(wave.registrations.values_list("member", "status")) == [(other.pk, Status.INVITED)]
    wave.registrations.update(status=Status.DECLINED)
    assert waves.fill_wave(wave) == []  # the former member is never invited again


def test_erasure_kills_the_stop_the_invitations_link(member_client):
    from workshops.tasks import withdraw_url

    member, client = member_client
    path = "/" + withdraw_url(member).split("//", 1)[1].split("/", 1)[1]
    assert Client().get(path).status_code == 200

    delete_account(client)

    assert Client().get(path).status_code == 404
    assert Client().post(path).status_code == 404


def test_waiting_list_positions_in_the_export_cost_no_query_per_place(make_workshop, make_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workshops.personal_data import WorkshopRegistrations

    member = make_member()
    others = [make_member() for _ in range(3)]

    def wait_behind(title, ahead):
        workshop = make_workshop(title=title, capacity=1)
        services.register(others[0], workshop)  # takes the seat
        for other in others[1 : 1 + ahead]:
            services.register(other, workshop)
        services.register(member, workshop)

    def export():
        with CaptureQueriesContext(connection) as queries:
            data = WorkshopRegistrations().export_data(member)
        return {item["workshop"]: item["waitlist_position"] for item in data}, len(queries)

    wait_behind("Complet 0", 0)
    positions, queries_for_one = export()
    assert positions == {"Complet 0": 1}
    wait_behind("Complet 1", 1)
    wait_behind("Complet 2", 2)
    positions, queries_for_three = export()
    assert positions == {"Complet 0": 1, "Complet 1": 2, "Complet 2": 3}
    assert queries_for_three == queries_for_one
