"""workshops/seats.py: the one module that decides who holds a seat (services and waves call it)."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

from workshops import seats, services
from workshops.models import InvitationWave, Registration

Status = Registration.Status
pytestmark = pytest.mark.django_db


def test_free_seats_keep_the_seats_reserved_for_an_active_wave_from_the_public(make_workshop, make_member):
    workshop = make_workshop(capacity=4)
    wave = InvitationWave.objects.create(workshop=workshop, reserved_seats=3)
    services.register(make_member(), workshop)
    public = Registration(member=make_member(), workshop=workshop)
    invitee = Registration(member=make_member(), workshop=workshop, wave=wave)
    assert seats.taken_seats(workshop) == 1
    assert seats.unfilled_reserved_seats(workshop) == 3
    assert seats.free_seats(workshop, public) == 0  # 4 - 1 taken - 3 held for the wave
    assert seats.free_seats(workshop, invitee) == 3
    wave.active = False
    wave.save()
    assert seats.free_seats(workshop, public) == 3


def test_promote_fills_free_seats_first_come_first_served(make_workshop, make_member):
    workshop = make_workshop(capacity=1)
    first, second, third = (services.register(make_member(), workshop) for _ in range(3))
    assert [r.status for r in (first, second, third)] == [Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]
    with transaction.atomic():
        locked = seats.lock(workshop)
        locked.capacity = 3
        locked.save()
        promoted = seats.promote(locked)
    assert [r.pk for r in promoted] == [second.pk, third.pk]
    assert set(workshop.registrations.values_list("status", flat=True)) == {Status.CONFIRMED}
    assert seats.promote(workshop) == []  # no seat left, nothing changes


def test_seat_or_waitlist_and_set_status_write_the_history(make_workshop, make_member):
    workshop = make_workshop(capacity=1)
    with transaction.atomic():
        locked = seats.lock(workshop)
        seated = seats.seat_or_waitlist(locked, Registration(member=make_member(), workshop=locked), note="test")
        waiting = seats.seat_or_waitlist(locked, Registration(member=make_member(), workshop=locked))
    assert (seated.status, waiting.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert waiting.waitlisted_at is not None
    change = seated.changes.get()
    assert (change.from_status, change.to_status, change.note) == ("", Status.CONFIRMED, "test")


@pytest.mark.parametrize("module", ["workshops/waves.py", "workshops/services.py"])
def test_no_module_calls_a_private_function_of_another(module):
    """waves and services use the public names of workshops.seats, never `other._private`."""
    tree = ast.parse((Path(__file__).resolve().parents[2] / module).read_text())
    private = [
        f"{node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and node.value.id in {"services", "seats", "waves"}
    ]
    assert private == []
