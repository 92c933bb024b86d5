"""Discussion fixtures: a wiki page to talk about, residents, a blocked and an unverified member."""

import pytest

from members.roles import RESIDENTS
from members.services import block_member
from wiki import services as wiki_services


@pytest.fixture
def wiki_page(territory, resident):
    return wiki_services.create_page(resident, territory["genicart"], "Les jardins", "Un jardin partagé.")


@pytest.fixture
def other_resident(make_user):
    return make_user("karim@example.fr", pseudonym="Karim", groups=[RESIDENTS])


@pytest.fixture
def blocked(make_user):
    user = make_user("blocked@example.fr", pseudonym="Bloque", groups=[RESIDENTS])
    block_member(user.member, reason="Spam")
    return user


@pytest.fixture
def unverified(make_user):
    return make_user("new@example.fr", pseudonym="Nouveau", verified=False)


LONG = "Je pense que ce jardin partagé mérite un point d'eau et des bancs."
