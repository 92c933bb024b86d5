"""Workshop fixtures: an index under the territory and a factory of workshops and members."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import add_page
from workshops.models import WorkshopIndexPage, WorkshopPage


@pytest.fixture
def workshop_index(territory):
    return add_page(territory["home"], WorkshopIndexPage(title="Ateliers", slug="workshops"))


@pytest.fixture
def make_workshop(workshop_index, territory):
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        start = fields.pop("starts_at", timezone.now() + timedelta(days=10))
        defaults = {
            "title": f"Atelier {n}",
            "slug": f"atelier-{n}",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "venue_name": "Maison des habitants",
            "address": "12 rue Lavoisier, 33310 Lormont",
            "commune": territory["lormont"],
            "accessibility": "Step-free access",
            "capacity": 2,
        }
        defaults.update(fields)
        return add_page(workshop_index, WorkshopPage(**defaults))

    return make


@pytest.fixture
def workshop(make_workshop):
    return make_workshop()


@pytest.fixture
def make_member(make_user):
    counter = iter(range(1, 10_000))

    def make(*, invitable=True, **extra):
        n = next(counter)
        user = make_user(f"member{n}@example.fr", pseudonym=f"Membre {n}", **extra)
        member = user.member
        if invitable:
            member.accept_invitations = True
            member.save()
        return member

    return make
