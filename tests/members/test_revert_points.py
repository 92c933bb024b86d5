"""Reverting someone else's edit is a contribution, reverting one's own is not: through the wiki services and views."""

import pytest
from django.utils import translation

from members import scoring
from members.activity import Kind
from members.models import Activity
from tests.conftest import add_page
from wiki import services
from wiki.models import WikiPage

pytestmark = pytest.mark.django_db

TEXT = "Le marché se tient place Aristide-Briand le dimanche matin."
# 500 characters: 3 steps of the default rules (from 300), so 3 points.
ADDITION = "\n\n" + ("Les producteurs viennent de tout le département. " * 10)[:498]


@pytest.fixture
def market(territory):
    return add_page(territory["genicart"], WikiPage(title="Le marché", slug="le-marche", body=TEXT))


@pytest.fixture
def nadia(veteran):
    return veteran("nadia@example.fr", "Nadia")


@pytest.fixture
def karim(veteran):
    return veteran("karim@example.fr", "Karim")


def fresh(page):
    return WikiPage.objects.get(pk=page.pk)


def edit(page, member, body):
    page = fresh(page)
    return services.edit_page(
        member.user, page, base_revision_id=page.latest_revision_id, title=page.title, body=body
    ).revision


def score(member):
    return scoring.member_standing(member).score


def test_undoing_someone_elses_edit_scores_like_an_edit(market, nadia, karim):
    vandalism = edit(market, karim, TEXT + ADDITION)
    assert score(karim) == 3
    outcome = services.undo(nadia.user, fresh(market), vandalism.pk)
    line = Activity.objects.get(kind=Kind.EDIT, revision=outcome.revision)
    reverted = Activity.objects.get(kind=Kind.EDIT, revision=vandalism)
    assert (line.member, line.chars_changed, line.facts["revert"]) == (nadia, reverted.chars_changed, "undo")
    assert score(nadia) == 3  # the revert, sized by what it changed
    assert score(karim) == 0  # the reverted edit is void


def test_undoing_ones_own_edit_scores_nothing(market, nadia):
    own = edit(market, nadia, TEXT + ADDITION)
    assert score(nadia) == 3
    services.undo(nadia.user, fresh(market), own.pk)
    assert Activity.objects.filter(kind=Kind.EDIT, member=nadia).count() == 2  # the edit and its undo
    assert score(nadia) == 0


def test_restoring_over_someone_elses_edits_scores(market, nadia, karim):
    created = fresh(market).latest_revision_id
    edit(market, karim, TEXT + ADDITION)
    services.restore(nadia.user, fresh(market), created)
    assert score(nadia) == 3
    assert score(karim) == 0


def test_a_revert_through_the_page_shows_on_the_reverters_profile(client, market, nadia, karim):
    vandalism = edit(market, karim, TEXT + ADDITION)
    client.force_login(nadia.user)
    response = client.post(f"{fresh(market).url}undo/{vandalism.pk}/", {"summary": "Retour"})
    assert response.status_code == 302
    assert fresh(market).body == TEXT
    profile = client.get("/me/")
    assert profile.context["standing"].score == 3
    assert 'data-testid="my-score">3<' in profile.text

    client.cookies["django_language"] = "en"
    with translation.override("en"):
        rules = client.get("/me/points/").text
    assert "Undoing, restoring or rolling back someone else" in rules
    assert "neither does undoing your own edit" in rules
