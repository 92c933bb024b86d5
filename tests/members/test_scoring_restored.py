"""Rule 2 of members.scoring with a restoration: a RESTORED line lifts the HIDDEN line it concerns."""

import pytest

from members.activity import Kind, record
from tests.members.test_scoring import ago, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def nadia(territory, veteran):
    return veteran("nadia@example.fr", "Nadia")


def test_a_restored_contribution_scores_again_and_a_second_hiding_voids_it_again(nadia, moderator, territory):
    post = record(nadia, Kind.DISCUSSION, page=territory["genicart"], at=ago(days=3))
    edit = record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(days=3))
    assert score(nadia) == 1 + 3
    hidden = record(moderator.member, Kind.HIDDEN, concerns=post, at=ago(days=2))
    record(moderator.member, Kind.HIDDEN, concerns=edit, at=ago(days=2))
    assert score(nadia) == 0
    record(moderator.member, Kind.RESTORED, concerns=hidden, at=ago(days=1))
    assert score(nadia) == 1  # the comment is back; the edit stays hidden
    record(moderator.member, Kind.HIDDEN, concerns=post, at=ago(hours=2))
    assert score(nadia) == 0


def test_a_restoration_never_lifts_a_revert(nadia, moderator, territory):
    edit = record(nadia, Kind.EDIT, page=territory["genicart"], chars_changed=500, at=ago(days=3))
    reverted = record(moderator.member, Kind.REVERTED, concerns=edit, at=ago(days=2))
    record(moderator.member, Kind.RESTORED, concerns=reverted, at=ago(days=1))
    assert score(nadia) == 0


def test_a_report_upheld_earns_its_weight(nadia, territory):
    record(nadia, Kind.REPORT_UPHELD, page=territory["genicart"], at=ago(days=1))
    assert score(nadia) == 1
