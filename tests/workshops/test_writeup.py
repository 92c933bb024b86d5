from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Activity
from tests.conftest import add_page
from workshops import services
from workshops.models import WorkshopPage, WorkshopRelatedPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(make_workshop, make_member, staff):
    workshop = make_workshop(starts_at=timezone.now() - timedelta(hours=1))
    services.add_walk_in(workshop, make_member(), by=staff)
    services.add_walk_in(workshop, make_member(), by=staff)
    return workshop


def test_close_publishes_the_writeup_with_the_checked_in_count(client, started, staff):
    services.close_workshop(started, writeup="We mapped the garden.\n\nNext: <planting>.", by=staff)
    started.refresh_from_db()
    assert started.attendee_count == 2 and started.closed_at
    assert "&lt;planting&gt;" in started.writeup
    assert "We mapped the garden." in client.get(started.url).content.decode()
    assert Activity.objects.filter(kind=Activity.Kind.WRITEUP, member=staff.member).count() == 1


@pytest.mark.parametrize("writeup", ["", "   "])
def test_close_refuses_empty_writeup(started, staff, writeup):
    with pytest.raises(services.WorkshopError):
        services.close_workshop(started, writeup=writeup, by=staff)
    started.refresh_from_db()
    assert started.closed_at is None


def test_close_refuses_a_future_workshop(workshop, staff):
    with pytest.raises(services.WorkshopError):
        services.close_workshop(workshop, writeup="Too early", by=staff)


def test_close_appends_a_revision_to_related_wiki_pages(started, staff, territory):
    wiki_models = pytest.importorskip("wiki.models")
    if not hasattr(wiki_models, "WikiPage"):
        pytest.skip("wiki pages are not available")
    article = add_page(territory["genicart"], wiki_models.WikiPage(title="Jardin", slug="jardin", body="Le jardin."))
    WorkshopRelatedPage.objects.create(workshop=started, page=article)
    revisions_before = article.revisions.count()
    services.close_workshop(started, writeup="We mapped the garden.", by=staff)
    article.refresh_from_db()
    assert article.revisions.count() == revisions_before + 1
    assert article.body.startswith("Le jardin.")
    assert "We mapped the garden." in article.body and started.title in article.body


def test_staff_close_from_the_management_page(client, started, staff):
    client.force_login(staff)
    response = client.get(started.url + "manage/")
    assert response.context["close_form"].initial["attendee_count"] == 2
    response = client.post(
        started.url + "check-in/", {"action": "close", "close-writeup": "", "close-attendee_count": "2"}
    )
    assert response.status_code == 200 and response.context["close_form"].errors
    response = client.post(
        started.url + "check-in/", {"action": "close", "close-writeup": "Good session", "close-attendee_count": "3"}
    )
    assert response.status_code == 302
    assert WorkshopPage.objects.get(pk=started.pk).attendee_count == 3
