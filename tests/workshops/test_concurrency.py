"""No overbooking, ever: many connections race for the last seats (PostgreSQL only).

SQLite serialises every write, so the race cannot even be staged there; `make
test` runs the suite on PostgreSQL as well, where the row lock
(`select_for_update`) is what keeps the count right.
"""

import pytest

from tests.concurrency import postgres_only, race
from workshops import services
from workshops.models import Registration

# serialized_rollback keeps Wagtail's root page for the tests that follow.
pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 12


def test_concurrent_registrations_never_overbook(make_workshop, make_member):
    workshop = make_workshop(capacity=3)
    members = [make_member() for _ in range(THREADS)]
    _outcomes, errors = race(lambda member: services.register(member, workshop), members)
    assert errors == []
    statuses = list(Registration.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == 3
    assert statuses.count(Registration.Status.WAITLISTED) == THREADS - 3


def test_concurrent_rsvps_for_the_last_seat(make_workshop, make_member, staff):
    workshop = make_workshop(capacity=5)
    for member in [make_member() for _ in range(4)]:
        services.register(member, workshop)
    invitees = [make_member() for _ in range(THREADS)]
    services.invite(workshop, invitees, by=staff)
    tokens = [r.issue_token() for r in Registration.objects.filter(status=Registration.Status.INVITED)]
    _outcomes, errors = race(lambda token: services.rsvp(token, True), tokens)
    assert errors == []
    confirmed = Registration.objects.filter(workshop=workshop, status__in=Registration.SEAT_TAKING).count()
    assert confirmed == 5
    assert Registration.objects.filter(workshop=workshop, status=Registration.Status.WAITLISTED).count() == THREADS - 1
