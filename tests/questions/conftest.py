"""Questions fixtures: a wiki page in Lormont, a roads service with its agent and validator."""

import pytest
from django.contrib.auth.models import Group

from members.roles import RESIDENTS
from questions import services
from questions.models import Service
from wiki import services as wiki_services
from wiki.models import Theme


@pytest.fixture
def english(settings):
    """Messages in English, where a test asserts the English source text (the site speaks French by default)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def mobility():
    return Theme.objects.get(slug="mobilite")


@pytest.fixture
def housing():
    return Theme.objects.get(slug="logement")


@pytest.fixture
def wiki_page(territory, staff):
    return wiki_services.create_page(staff, territory["genicart"], "Rue Lavoisier", "Une rue de Génicart.")


@pytest.fixture
def roads(territory, mobility):
    service = Service.objects.create(
        name="Voirie",
        contact_email="voirie@mairie-lormont.example",
        target_days=10,
        agents=Group.objects.create(name="Service Voirie"),
        validators=Group.objects.create(name="Validation Voirie"),
    )
    service.themes.add(mobility)
    service.communes.add(territory["lormont"])
    return service


@pytest.fixture
def housing_service(housing):
    service = Service.objects.create(
        name="Habitat", contact_email="habitat@example.fr", agents=Group.objects.create(name="Service Habitat")
    )
    service.themes.add(housing)
    return service


@pytest.fixture
def agent(make_user, roads):
    return make_user("agent@example.fr", pseudonym="Agent Voirie", groups=[roads.agents.name])


@pytest.fixture
def validator(make_user, roads):
    return make_user("dircom@example.fr", pseudonym="Dircom", groups=[roads.validators.name])


@pytest.fixture
def other_agent(make_user, housing_service):
    return make_user("habitat@example.fr", pseudonym="Agent Habitat", groups=[housing_service.agents.name])


@pytest.fixture
def other_resident(make_user):
    return make_user("karim@example.fr", pseudonym="Karim", groups=[RESIDENTS])


@pytest.fixture
def question(resident, wiki_page, mobility):
    return services.ask_question(
        resident, wiki_page, title="Quand la rue Lavoisier sera-t-elle refaite ?", body="Les trous.", theme=mobility
    )


@pytest.fixture
def routed(question, moderator, roads):
    return services.route_question(moderator, question, roads)
