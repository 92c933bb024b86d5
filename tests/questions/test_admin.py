"""Staff keep the list of services in the Wagtail admin; nobody else. The queues take a fixed number of queries."""

import pytest
from django.urls import reverse

from questions import services
from questions.models import Service


def test_staff_list_and_add_services_in_the_admin(client, staff, roads):
    client.force_login(staff)
    response = client.get(reverse("wagtailsnippets_questions_service:list"))
    assert response.status_code == 200 and roads.name in response.text
    response = client.get(reverse("wagtailsnippets_questions_service:add"))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["moderator", "resident"])
def test_others_cannot_manage_services(client, role, request, roads):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("wagtailsnippets_questions_service:list"))
    assert response.status_code in (302, 403)
    response = client.post(reverse("wagtailsnippets_questions_service:delete", args=[roads.pk]))
    assert response.status_code in (302, 403)
    assert Service.objects.filter(pk=roads.pk).exists()


@pytest.mark.parametrize("count", [3, 20])
def test_the_queues_take_a_fixed_number_of_queries(
    client, resident, wiki_page, moderator, agent, roads, count, django_assert_max_num_queries
):
    for number in range(count):
        question = services.ask_question(resident, wiki_page, title=f"Question {number}")
        if number % 2:
            services.route_question(moderator, question, roads)
    client.force_login(moderator)
    client.get(reverse("questions:queue"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("questions:queue")).status_code == 200
    client.force_login(agent)
    client.get(reverse("questions:service-queue", args=[roads.pk]))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("questions:service-queue", args=[roads.pk])).status_code == 200
