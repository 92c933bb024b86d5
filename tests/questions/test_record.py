"""The services' public record, computed in the database in a fixed number of queries; the Atom feeds."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from questions import record, services
from questions.models import Question

PARIS = ZoneInfo("Europe/Paris")


def answered_in(agent, question, days_after_monday):
    """Route on Monday 2 Nov 2026 and publish `days_after_monday` working days later (no holiday until 11 Nov)."""
    start = datetime(2026, 11, 2, 9, tzinfo=PARIS)
    Question.objects.filter(pk=question.pk).update(routed_at=start)
    question.refresh_from_db()
    answer = services.draft_answer(agent, question, body="Réponse.")
    services.submit_answer(agent, answer, now=start + timedelta(days=days_after_monday))


def make_routed(resident, moderator, page, service, title):
    question = services.ask_question(resident, page, title=title)
    return services.route_question(moderator, question, service)


def test_the_record_counts_answers_median_share_open_and_overdue(resident, moderator, agent, wiki_page, roads):
    questions = [make_routed(resident, moderator, wiki_page, roads, f"Question {n}") for n in range(6)]
    for question, days in zip(questions[:4], [1, 2, 3, 9], strict=True):  # 9 days later: 7 working days
        answered_in(agent, question, days)
    roads.target_days = 2
    roads.save()
    Question.objects.filter(pk=questions[5].pk).update(deadline=timezone.localdate() - timedelta(days=1))
    services.ask_question(resident, wiki_page, title="Pas encore routée")  # no service: not counted
    [line] = record.records()
    assert line.answered == 4
    assert line.median_days == 2.5  # 1, 2, 3, 7
    assert line.within_target == 2 and line.share_within_target == 50
    assert line.open == 2 and line.overdue == 1


def test_a_service_without_answers_has_no_median(roads):
    [line] = record.records()
    assert line.answered == 0 and line.median_days is None and line.share_within_target is None


@pytest.mark.parametrize("count", [2, 12])
def test_the_record_takes_two_queries_whatever_the_data(
    resident, moderator, agent, wiki_page, roads, housing_service, count
):
    for n in range(count):
        answered_in(agent, make_routed(resident, moderator, wiki_page, roads, f"Q{n}"), n % 5 + 1)
    with CaptureQueriesContext(connection) as queries:
        lines = record.records()
    assert len(queries) == 2
    assert [line.service for line in lines] == [housing_service, roads]


@pytest.mark.parametrize("count", [2, 12])
def test_the_record_pages_take_a_fixed_number_of_queries(
    client, resident, moderator, agent, wiki_page, roads, count, django_assert_max_num_queries
):
    for n in range(count):
        answered_in(agent, make_routed(resident, moderator, wiki_page, roads, f"Q{n}"), 1)
    client.get(reverse("questions:services"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("questions:services"))
    assert roads.name in response.text
    with django_assert_max_num_queries(10):
        assert client.get(reverse("questions:service", args=[roads.pk])).status_code == 200


def test_feeds_of_new_answers_per_commune_and_per_service(client, routed, agent, roads, territory, wiki_page):
    services.submit_answer(agent, services.draft_answer(agent, routed, body="Les travaux commencent en mars."))
    response = client.get(reverse("questions:commune-feed", args=["lormont"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert "Les travaux commencent en mars." in response.text
    assert "Les travaux" not in client.get(reverse("questions:commune-feed", args=["cenon"])).text
    response = client.get(reverse("questions:service-feed", args=[roads.pk]))
    assert routed.title in response.text
    assert client.get(reverse("questions:commune-feed", args=["nowhere"])).status_code == 404
    PageViewRestriction.objects.create(page=wiki_page, restriction_type="login")
    assert routed.title not in client.get(reverse("questions:service-feed", args=[roads.pk])).text
