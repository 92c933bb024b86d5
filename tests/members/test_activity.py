import pytest
from django.utils import timezone

from members.activity import Kind, record
from members.models import Activity


@pytest.mark.django_db
def test_record_appends_a_line_about_a_page_and_a_target(territory, resident):
    page = territory["genicart"]
    line = record(resident.member, Kind.EDIT, page=page, target=page, chars_changed=-12, facts={"summary": "typo"})

    stored = Activity.objects.get(pk=line.pk)
    assert stored.member == resident.member
    assert stored.kind == "edit"
    assert stored.page_id == page.pk
    assert stored.target == f"wiki.neighbourhoodpage:{page.pk}"
    assert stored.chars_changed == 0  # never negative
    assert stored.facts == {"summary": "typo"}
    assert abs((timezone.now() - stored.occurred_at).total_seconds()) < 60


@pytest.mark.django_db
def test_a_decision_points_at_the_line_it_concerns(territory, resident, moderator):
    edit = record(resident.member, Kind.EDIT, page=territory["lormont"], chars_changed=40)
    revert = record(moderator.member, Kind.REVERTED, page=territory["lormont"], concerns=edit)
    assert list(edit.decisions.all()) == [revert]
    assert Activity.objects.count() == 2
