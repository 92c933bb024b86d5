"""An accepted question is a contribution; a merged or declined one is not. The member's data: export and erasure."""

from members.models import Activity
from members.personal_data import export
from members.scoring import load_rules, tally
from questions import services
from questions.models import Question, QuestionFollow


def test_accepted_questions_earn_points_and_merged_ones_lose_them(resident, moderator, roads, wiki_page):
    first = services.route_question(moderator, services.ask_question(resident, wiki_page, title="Une"), roads)
    second = services.route_question(moderator, services.ask_question(resident, wiki_page, title="Deux"), roads)
    services.route_question(moderator, second, roads)  # re-routed: still one line
    assert Activity.objects.filter(kind=Activity.Kind.QUESTION).count() == 2
    services.merge_question(moderator, second, first)
    declined = services.ask_question(resident, wiki_page, title="Trois")
    services.decline_question(moderator, declined, reason="competence")
    rules = load_rules()
    points = tally(rules, member_ids=[resident.member.pk])[resident.member.pk]
    assert points.breakdown[Activity.Kind.QUESTION] == rules.weights[Activity.Kind.QUESTION]  # the first only


def test_the_points_page_explains_questions(client, resident):
    client.force_login(resident)
    response = client.get("/me/points/")
    assert 'id="questions-points"' in response.text


def test_export_and_erasure(resident, other_resident, question):
    services.follow_question(other_resident, question)
    data = export(resident.member)
    assert data["town_hall_questions"]["asked"][0]["question"] == question.title
    assert export(other_resident.member)["town_hall_questions"]["followed"] == [question.pk]
    from members.personal_data import registered

    kinds = {kind.identifier: kind for kind in registered()}
    kinds["town_hall_questions"].erase(resident.member)
    kinds["town_hall_questions"].erase(other_resident.member)
    assert Question.objects.get(pk=question.pk).body == ""
    assert not QuestionFollow.objects.exists()
