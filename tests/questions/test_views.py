"""The views of questions, for anonymous visitors, residents, the community manager, agents, validators and staff."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from questions import services
from questions.models import Answer, Question

Status = Question.Status
pytestmark = pytest.mark.usefixtures("english")


def url(name, *args):
    return reverse(f"questions:{name}", args=args)


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# Asking ----------------------------------------------------------------------------------------


def test_anonymous_visitors_read_the_list_and_are_asked_to_sign_in_to_ask(client, question):
    response = client.get(url("index"))
    assert response.status_code == 200
    assert question.title in response.text
    response = client.get(url("ask"))
    assert response.status_code == 200
    assert '<form method="post" action="/questions/ask/"' not in response.text
    response = client.post(url("ask"), {"title": "Pourquoi ?"})
    assert not Question.objects.filter(title="Pourquoi ?").exists()


def test_a_resident_asks_from_a_page(client, resident, wiki_page, mobility):
    login(client, resident)
    response = client.get(f"{url('ask')}?page={wiki_page.pk}")
    assert response.status_code == 200 and wiki_page.title in response.text
    response = client.post(
        url("ask"), {"page": wiki_page.pk, "theme": mobility.pk, "title": "Un passage piéton rue Lavoisier ?"}
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", question.pk)
    assert question.page.pk == wiki_page.pk and question.theme == mobility


def test_a_resident_asks_about_a_commune(client, resident, territory, mobility):
    login(client, resident)
    response = client.post(url("ask"), {"commune": "cenon", "theme": mobility.pk, "title": "Les bus de nuit ?"})
    assert response.status_code == 302
    assert Question.objects.get().page.pk == territory["cenon"].pk


def test_similar_answered_questions_are_shown_before_sending(client, routed, agent, other_resident, mobility):
    services.submit_answer(agent, services.draft_answer(agent, routed, body="Les travaux commencent en mars."))
    login(client, other_resident)
    data = {"commune": "lormont", "theme": mobility.pk, "title": "Travaux rue Lavoisier ?"}
    response = client.post(url("ask"), data)
    assert response.status_code == 200
    assert routed.title in response.text and 'name="confirmed"' in response.text
    assert Question.objects.count() == 1
    response = client.post(url("ask"), {**data, "confirmed": "1"})
    assert response.status_code == 302 and Question.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "theme": "THEME", "commune": "lormont"}, "Write your question."),
        ({"title": "   ", "theme": "THEME", "commune": "lormont"}, "Write your question."),
        ({"title": "Pourquoi ?", "theme": "THEME"}, "Choose the commune."),
        ({"title": "Pourquoi ?", "commune": "lormont"}, "Choose a theme."),
        ({"title": "Pourquoi ?", "theme": "9" * 30, "commune": "lormont"}, "Select a valid choice"),
        ({"title": "x" * 500, "theme": "THEME", "commune": "lormont"}, "160"),
    ],
)
def test_bad_questions_get_a_clear_message(client, resident, territory, mobility, data, message):
    login(client, resident)
    data = {key: (mobility.pk if value == "THEME" else value) for key, value in data.items()}
    response = client.post(url("ask"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Question.objects.exists()


@pytest.mark.parametrize("page", ["999999", "9" * 40, "abc", "-1"])
def test_a_question_on_a_page_that_does_not_exist_is_a_404_with_a_message(client, resident, page):
    login(client, resident)
    response = client.post(url("ask"), {"page": page, "title": "Pourquoi ?"})
    assert response.status_code == 404
    assert "questions/ask/" in response.text


def test_the_empty_question_message_is_french_by_default(client, resident, territory, mobility, settings):
    settings.LANGUAGE_CODE = "fr"
    login(client, resident)
    response = client.post(url("ask"), {"title": "", "theme": mobility.pk, "commune": "lormont"})
    assert response.status_code == 400
    assert "Écrivez votre question." in response.text


# Reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "resident", "moderator", "staff"])
def test_everyone_reads_a_question_but_only_the_community_manager_sees_qualification(client, question, role, request):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = login(client, user).get(url("detail", question.pk))
    assert response.status_code == 200
    assert question.title in response.text
    assert (url("route", question.pk) in response.text) == (role in ("moderator", "staff"))


def test_a_question_on_a_private_page_is_as_private_as_the_page(client, question, wiki_page, resident, other_resident):
    restriction = PageViewRestriction.objects.create(page=wiki_page, restriction_type="groups")
    group = Group.objects.create(name="Conseil")
    restriction.groups.add(group)
    assert client.get(url("detail", question.pk)).status_code == 404
    assert question.title not in client.get(url("index")).text
    login(client, other_resident)
    assert client.get(url("detail", question.pk)).status_code == 404
    other_resident.groups.add(group)
    assert client.get(url("detail", question.pk)).status_code == 200


@pytest.mark.parametrize("path", ["/questions/0/", "/questions/99999999999999999999/", "/questions/abc/"])
def test_forged_ids_are_404(client, territory, path):
    assert client.get(path).status_code == 404


def test_filters_and_search(client, question, routed, territory, resident, wiki_page, roads):
    other = services.ask_question(resident, territory["cenon"], title="Piscine de Cenon ?")
    response = client.get(url("index"), {"commune": "cenon"})
    assert other.title in response.text and question.title not in response.text
    response = client.get(url("index"), {"service": roads.pk})
    assert question.title in response.text and other.title not in response.text
    response = client.get(url("index"), {"q": "piscine"})
    assert other.title in response.text and question.title not in response.text
    response = client.get(url("index"), {"theme": "mobilite", "status": "open"})
    assert question.title in response.text and other.title not in response.text
    for hostile in ({"service": "9" * 40}, {"commune": "\x00"}, {"page": "-3"}, {"status": "nope"}):
        assert client.get(url("index"), hostile).status_code == 200


@pytest.mark.parametrize("count", [3, 25])
def test_the_list_takes_a_fixed_number_of_queries(
    client, resident, wiki_page, moderator, roads, count, django_assert_max_num_queries
):
    for number in range(count):
        question = services.ask_question(resident, wiki_page, title=f"Question numéro {number}")
        if number % 2:
            services.route_question(moderator, question, roads)
    login(client, resident)
    client.get(url("index"))
    with django_assert_max_num_queries(14):
        response = client.get(url("index"))
    assert response.status_code == 200


# Qualifying ----------------------------------------------------------------------------------------


def test_the_community_manager_routes_from_the_question_page(client, moderator, question, roads):
    login(client, moderator)
    response = client.get(url("detail", question.pk))
    assert roads.name in response.text  # suggested
    response = client.post(url("route", question.pk), {"service": roads.pk})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.ROUTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"service": ""}, "Choose a service."),
        ({"service": "9" * 30}, "Select a valid choice"),
        ({"service": "SERVICE", "deadline": "2020-01-01"}, "The deadline cannot be in the past."),
        ({"service": "SERVICE", "deadline": "9999-12-31"}, "Choose a deadline within two years."),
        ({"service": "SERVICE", "deadline": "demain"}, "Enter a valid date."),
    ],
)
def test_bad_routing_gets_a_clear_message(client, moderator, question, roads, data, message):
    login(client, moderator)
    data = {key: (roads.pk if value == "SERVICE" else value) for key, value in data.items()}
    response = client.post(url("route", question.pk), data)
    assert response.status_code == 400
    assert message in response.text
    assert Question.objects.get(pk=question.pk).status == Status.NEW


def test_residents_and_agents_cannot_route(client, resident, agent, question, roads):
    for user in (resident, agent):
        login(client, user)
        response = client.post(url("route", question.pk), {"service": roads.pk})
        assert response.status_code == 400
    assert Question.objects.get(pk=question.pk).status == Status.NEW


def test_merge_decline_and_details_through_the_views(client, moderator, resident, question, routed, wiki_page):
    other = services.ask_question(resident, wiki_page, title="Même question ?")
    login(client, moderator)
    response = client.post(url("merge", other.pk), {"into": "99999999"})
    assert response.status_code == 400 and "There is no question with this number." in response.text
    assert client.post(url("merge", other.pk), {"into": routed.pk}).status_code == 302
    third = services.ask_question(resident, wiki_page, title="Hors sujet ?")
    response = client.post(url("decline", third.pk), {"reason": "forged"})
    assert response.status_code == 400 and "Choose a reason." in response.text
    assert client.post(url("decline", third.pk), {"reason": "competence", "note": "Département"}).status_code == 302
    assert client.post(url("request-details", routed.pk), {"note": ""}).status_code == 400
    assert client.post(url("request-details", routed.pk), {"note": "Quel numéro ?"}).status_code == 302
    login(client, resident)
    response = client.get(url("detail", routed.pk))
    assert url("give-details", routed.pk) in response.text
    assert client.post(url("give-details", routed.pk), {"details": "Au 12"}).status_code == 302
    assert Question.objects.get(pk=routed.pk).status == Status.ROUTED


def test_the_qualification_queue_is_for_the_community_manager(client, moderator, resident, agent, question, routed):
    assert client.get(url("queue")).status_code == 404
    for user in (resident, agent):
        assert login(client, user).get(url("queue")).status_code == 404
    Question.objects.filter(pk=routed.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    response = login(client, moderator).get(url("queue"))
    assert response.status_code == 200
    text = response.text
    assert text.index(routed.title) < text.index(question.title) if routed.title != question.title else True


# Answering -----------------------------------------------------------------------------------------


def test_agents_see_their_service_queue_only(client, agent, other_agent, resident, routed, roads, housing_service):
    assert client.get(url("service-queue", roads.pk)).status_code == 404
    for user in (resident, other_agent):
        assert login(client, user).get(url("service-queue", roads.pk)).status_code == 404
    response = login(client, agent).get(url("service-queue", roads.pk))
    assert response.status_code == 200 and routed.title in response.text
    assert login(client, agent).get(url("service-queue", housing_service.pk)).status_code == 404


def test_an_agent_answers_and_a_validator_approves(client, agent, validator, roads, routed, resident):
    roads.validation_required = True
    roads.save()
    login(client, agent)
    response = client.post(url("answer", routed.pk), {"body": "", "links": ""})
    assert response.status_code == 400 and "Write the answer." in response.text
    response = client.post(url("answer", routed.pk), {"body": "En mars.", "links": "javascript:alert(1)"})
    assert response.status_code == 400 and "https://" in response.text
    assert client.post(url("answer", routed.pk), {"body": "En mars.", "submit": "1"}).status_code == 302
    assert Answer.objects.get().state == Answer.State.SUBMITTED
    response = client.post(url("validate", routed.pk))
    assert response.status_code == 400 and "another validator must approve it" in response.text
    mail.outbox.clear()
    login(client, validator)
    assert url("validate", routed.pk) in client.get(url("detail", routed.pk)).text
    assert client.post(url("validate", routed.pk)).status_code == 302
    assert Answer.objects.get().state == Answer.State.PUBLISHED
    assert mail.outbox[0].to == [resident.email]
    response = login(client, resident).get(url("detail", routed.pk))
    assert "official-answer" in response.text and "En mars." in response.text


def test_someone_outside_the_service_cannot_answer(client, other_agent, resident, routed):
    for user in (other_agent, resident):
        login(client, user)
        response = client.post(url("answer", routed.pk), {"body": "Réponse"})
        assert response.status_code == 400
        assert "Only the agents of the service" in response.text
    assert not Answer.objects.exists()


def test_staff_add_to_the_wiki_and_mark_out_of_date(client, staff, agent, routed, wiki_page, moderator):
    services.submit_answer(agent, services.draft_answer(agent, routed, body="Réponse officielle."))
    login(client, moderator)
    assert client.post(url("add-to-wiki", routed.pk)).status_code == 400
    login(client, staff)
    assert client.post(url("add-to-wiki", routed.pk)).status_code == 302
    wiki_page.refresh_from_db()
    assert "Réponse officielle." in wiki_page.body
    response = client.post(url("out-of-date", routed.pk), {"replaced_by": "123456"})
    assert response.status_code == 400 and "no published answer" in response.text
    assert client.post(url("out-of-date", routed.pk), {"note": "Nouvel arrêté"}).status_code == 302
    response = client.get(url("detail", routed.pk))
    assert "is-out-of-date" in response.text


def test_a_second_answer_to_a_closed_question_is_refused_in_the_view(client, agent, moderator, routed):
    services.submit_answer(agent, services.draft_answer(agent, routed, body="Première."))
    services.close_question(moderator, routed)
    login(client, agent)
    response = client.post(url("answer", routed.pk), {"body": "Seconde."})
    assert response.status_code == 400 and "takes no new answer" in response.text
    assert Answer.objects.count() == 1


def test_following_a_question(client, other_resident, question):
    login(client, other_resident)
    assert client.post(url("follow", question.pk)).status_code == 302
    assert question.follows.filter(user=other_resident).exists()
    assert client.post(url("unfollow", question.pk)).status_code == 302
    assert not question.follows.exists()
    client.logout()
    assert client.post(url("follow", question.pk)).status_code == 400


def test_every_discussed_page_offers_to_ask_the_town_hall(client, wiki_page, territory):
    for page in (wiki_page, territory["lormont"]):
        response = client.get(page.url)
        assert f"/questions/ask/?page={page.pk}" in response.text
