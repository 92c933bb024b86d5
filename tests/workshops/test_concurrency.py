"""No overbooking, ever: many connections race for the last seats (PostgreSQL only).

SQLite serialises every write, so the race cannot even be staged there; `make
test` runs the suite on PostgreSQL as well, where the row lock
(`select_for_update`) is what keeps the count right.
"""

import threading

import pytest
from django.db import connection, connections

from workshops import services
from workshops.models import Registration

# serialized_rollback keeps Wagtail's root page for the tests that follow.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 12


def race(action, arguments):
    barrier = threading.Barrier(len(arguments))
    errors = []

    def run(argument):
        try:
            barrier.wait(timeout=10)
            action(argument)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency proof needs PostgreSQL (row locks); run with DATABASE_URL=postgres://...")


def test_concurrent_registrations_never_overbook(postgres_only, make_workshop, make_member):
    workshop = make_workshop(capacity=3)
    members = [make_member() for _ in range(THREADS)]
    errors = race(lambda member: services.register(member, workshop), members)
    assert errors == []
    statuses = list(Registration.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == 3
    assert statuses.count(Registration.Status.WAITLISTED) == THREADS - 3


def test_concurrent_rsvps_for_the_last_seat(postgres_only, make_workshop, make_member, staff):
    workshop = make_workshop(capacity=5)
    for member in [make_member() for _ in range(4)]:
        services.register(member, workshop)
    invitees = [make_member() for _ in range(THREADS)]
    services.invite(workshop, invitees, by=staff)
    tokens = [r.issue_token() for r in Registration.objects.filter(status=Registration.Status.INVITED)]
    errors = race(lambda token: services.rsvp(token, True), tokens)
    assert errors == []
    confirmed = Registration.objects.filter(workshop=workshop, status__in=Registration.SEAT_TAKING).count()
    assert confirmed == 5
    assert Registration.objects.filter(workshop=workshop, status=Registration.Status.WAITLISTED).count() == THREADS - 1
