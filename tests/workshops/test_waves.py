from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from workshops import services, waves
from workshops.models import InvitationWave, Registration

Status = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(monkeypatch, make_member):
    """Members ranked by engagement, best first (scoring itself is tested in tests/members)."""
    members = []

    def fake_rank(*, period, commune, neighbourhood, now):
        return [SimpleNamespace(member=member) for member in members]

    monkeypatch.setattr(waves, "rank_members", fake_rank)
    return members


def make_wave(workshop, **fields):
    return InvitationWave.objects.create(workshop=workshop, **{"reserved_seats": 2, **fields})


def invited_members(wave):
    return list(wave.registrations.filter(status=Status.INVITED).order_by("pk").values_list("member_id", flat=True))


def test_wave_invites_down_the_list_skipping_non_consenting(ranked, make_workshop, make_member):
    workshop = make_workshop(capacity=5)
    a, no, b, c = make_member(), make_member(invitable=False), make_member(), make_member()
    ranked += [a, no, b, c]
    wave = make_wave(workshop)
    invited = waves.fill_wave(wave)
    assert [r.member for r in invited] == [a, b]
    assert len(mail.outbox) == 2
    assert waves.fill_wave(wave) == []  # seats held: nothing new


def test_decline_invites_the_next_member(ranked, make_workshop, make_member):
    workshop = make_workshop(capacity=5)
    a, b, c = make_member(), make_member(), make_member()
    ranked += [a, b, c]
    wave = make_wave(workshop)
    waves.fill_wave(wave)
    token = Registration.objects.get(member=a).issue_token()
    services.rsvp(token, False)
    assert invited_members(wave) == [b.pk, c.pk]


def test_unanswered_invitations_expire_and_the_next_is_invited(ranked, make_workshop, make_member):
    workshop = make_workshop(capacity=5)
    a, b = make_member(), make_member()
    ranked += [a, b]
    wave = make_wave(workshop, reserved_seats=1, answer_within_hours=24)
    waves.fill_wave(wave)
    assert waves.fill_wave(wave, now=timezone.now() + timedelta(hours=25))[0].member == b
    assert Registration.objects.get(member=a).status == Status.DECLINED


def test_quotas_newcomers_and_neighbourhoods(ranked, territory, make_workshop, make_member, staff):
    workshop = make_workshop(capacity=10)
    veteran1, veteran2, newcomer, palmer = (make_member() for _ in range(4))
    for member in (veteran1, veteran2):
        past = make_workshop(starts_at=timezone.now() + timedelta(days=1))
        services.add_walk_in(past, member, by=staff)
    palmer.neighbourhood = territory["palmer"]
    palmer.save()
    ranked += [veteran1, veteran2, newcomer, palmer]
    wave = make_wave(workshop, reserved_seats=2, min_newcomers=1, min_per_neighbourhood=1, max_per_month=5)
    chosen = {r.member for r in waves.fill_wave(wave)}
    assert chosen == {newcomer, palmer}


def test_monthly_cap(ranked, make_workshop, make_member, staff):
    a, b = make_member(), make_member()
    ranked += [a, b]
    services.invite(make_workshop(), [a], by=staff)
    wave = make_wave(make_workshop(), reserved_seats=1, max_per_month=1)
    assert [r.member for r in waves.fill_wave(wave)] == [b]


def test_reserved_seats_are_not_public_until_the_list_runs_out(ranked, make_workshop, make_member):
    workshop = make_workshop(capacity=2)
    invitee = make_member()
    ranked.append(invitee)
    wave = make_wave(workshop, reserved_seats=1)
    waves.fill_wave(wave)
    public1, public2 = make_member(), make_member()
    assert services.register(public1, workshop).status == Status.CONFIRMED
    assert services.register(public2, workshop).status == Status.WAITLISTED  # the last seat is held
    token = Registration.objects.get(member=invitee).issue_token()
    services.rsvp(token, False)  # nobody left on the list: the seat goes public
    wave.refresh_from_db()
    assert not wave.active
    assert Registration.objects.get(member=public2).status == Status.CONFIRMED


def test_invitee_of_a_wave_takes_a_reserved_seat(ranked, make_workshop, make_member):
    workshop = make_workshop(capacity=2)
    invitee = make_member()
    ranked.append(invitee)
    waves.fill_wave(make_wave(workshop, reserved_seats=1))
    services.register(make_member(), workshop)
    token = Registration.objects.get(member=invitee).issue_token()
    assert services.rsvp(token, True).status == Status.CONFIRMED


def test_run_waves_with_the_real_ranking(make_workshop, make_member):
    wave = make_wave(make_workshop())
    assert waves.run_waves() >= 0
    wave.refresh_from_db()


def test_staff_start_a_wave_from_the_invite_page(client, staff, ranked, make_workshop, make_member):
    workshop = make_workshop(capacity=4)
    ranked += [make_member(), make_member(), make_member()]
    client.force_login(staff)
    url = workshop.url + "invite/"
    response = client.post(url, {"action": "wave", "reserved_seats": "9", "answer_within_hours": "48", "period": "12m"})
    assert response.status_code == 200 and response.context["wave_form"].errors
    assert not InvitationWave.objects.exists()
    data = {
        "action": "wave",
        "reserved_seats": "2",
        "answer_within_hours": "48",
        "period": "12m",
        "min_per_neighbourhood": "0",
        "min_newcomers": "0",
        "max_per_month": "2",
    }
    response = client.post(url, data)
    assert response.status_code == 200, response.context["wave_form"].errors
    wave = InvitationWave.objects.get()
    assert wave.created_by == staff
    assert [r.member for r in response.context["wave_invited"]] == ranked[:2]
    assert len(mail.outbox) == 2
