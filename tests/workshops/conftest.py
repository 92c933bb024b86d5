"""Workshop fixtures (the workshop factory itself is shared, in tests/conftest.py)."""

import pytest


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
