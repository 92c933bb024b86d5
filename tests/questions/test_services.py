"""The whole loop through the services: ask, qualify each way, pause, answer, validate, publish, keep, remind."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from members.models import Activity
from members.scoring import load_rules
from questions import services
from questions.models import Answer, Question, QuestionEvent, QuestionFollow
from wiki.models import WikiPage

PARIS = ZoneInfo("Europe/Paris")
Status = Question.Status


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=PARIS)


def refused(code, call, *args, **kwargs):
    with pytest.raises(services.QuestionRefused) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.messages
    return caught.value


# Asking ------------------------------------------------------------------------------------------


def test_a_resident_asks_a_question_about_a_page(question, resident, wiki_page, territory):
    assert question.status == Status.NEW
    assert question.asker == resident
    assert question.commune.pk == territory["lormont"].pk
    assert list(question.events.values_list("kind", flat=True)) == [QuestionEvent.Kind.ASKED]


@pytest.mark.parametrize("title", ["", "   ", "\n"])
def test_an_empty_question_is_refused(resident, wiki_page, title):
    refused("empty", services.ask_question, resident, wiki_page, title=title)
    assert not Question.objects.exists()


def test_only_verified_members_ask(make_user, wiki_page):
    unverified = make_user("new@example.fr", verified=False)
    refused("cannot_ask", services.ask_question, unverified, wiki_page, title="Pourquoi ?")


def test_a_muted_member_does_not_ask_until_the_mute_is_lifted(resident, moderator, wiki_page):
    from members import access
    from members import services as member_services
    from members.models import ModerationDecision

    mute = member_services.mute_member(
        resident.member,
        by=moderator,
        ends_at=timezone.now() + timedelta(days=2),
        rule=ModerationDecision.Rule.HARASSMENT,
        statement="Insultes répétées.",
    )
    error = refused("cannot_ask", services.ask_question, resident, wiki_page, title="Pourquoi ?")
    assert error.messages == [access.why_cannot_post(resident)]
    assert not Question.objects.exists()
    member_services.lift_mute(mute, by=moderator, statement="Levée.")
    resident = type(resident).objects.get(pk=resident.pk)  # the next request's user: access facts are per request
    assert services.ask_question(resident, wiki_page, title="Pourquoi ?").pk


def test_a_question_on_a_private_page_is_refused_to_who_cannot_see_it(resident, wiki_page, territory):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(page=wiki_page, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Conseil"))
    refused("cannot_ask", services.ask_question, resident, wiki_page, title="Pourquoi ?")


def test_similar_answered_questions_are_suggested(routed, agent, resident, other_resident):
    answer = services.draft_answer(agent, routed, body="Les travaux de voirie commencent en mars.")
    services.submit_answer(agent, answer)
    assert services.similar_questions(other_resident, "Travaux rue Lavoisier ?") == [routed]
    assert services.similar_questions(other_resident, "voirie") == [routed]  # found in the answer
    assert services.similar_questions(other_resident, "piscine municipale") == []
    assert services.similar_questions(other_resident, "à la") == []  # no word long enough: no query


# Qualifying ---------------------------------------------------------------------------------------


def test_services_are_suggested_from_theme_and_commune(question, roads, housing_service):
    assert list(services.suggested_services(question)) == [roads]


def test_routing_accepts_the_question_counts_it_and_sets_the_deadline(question, moderator, roads):
    services.route_question(moderator, question, roads, now=at(2026, 4, 28))
    question.refresh_from_db()
    assert question.status == Status.ROUTED and question.service == roads
    assert question.deadline == date(2026, 5, 15)  # 10 working days: 1 May, 8 May and Ascension are holidays
    line = Activity.objects.get(kind=Activity.Kind.QUESTION)
    assert line.member == question.asker.member
    assert [m.to for m in mail.outbox] == [[roads.contact_email]]


def test_a_question_scores_no_more_than_a_page_edit(territory):
    rules = load_rules()
    assert 0 < rules.weights[Activity.Kind.QUESTION] <= rules.edit_points(20)


def test_only_the_community_manager_routes(question, resident, agent, roads):
    for user in (resident, agent):
        refused("not_qualifier", services.route_question, user, question, roads)
    assert Question.objects.get(pk=question.pk).status == Status.NEW


def test_a_deadline_in_the_past_is_refused(question, moderator, roads):
    refused(
        "deadline_past",
        services.route_question,
        moderator,
        question,
        roads,
        deadline=timezone.localdate() - timedelta(days=1),
    )
    assert not Activity.objects.filter(kind=Activity.Kind.QUESTION).exists()


def test_merging_closes_the_question_and_earns_nothing(routed, moderator, resident, other_resident, wiki_page):
    other = services.ask_question(other_resident, wiki_page, title="La rue Lavoisier, c'est pour quand ?")
    services.route_question(moderator, other, routed.service)
    services.merge_question(moderator, other, routed)
    other.refresh_from_db()
    assert other.status == Status.MERGED and other.merged_into == routed
    assert QuestionFollow.objects.filter(question=routed, user=other_resident).exists()
    line = Activity.objects.get(kind=Activity.Kind.QUESTION, target=f"questions.question:{other.pk}")
    assert line.decisions.filter(kind=Activity.Kind.HIDDEN).exists()
    refused("merge_self", services.merge_question, moderator, routed, routed)


def test_declining_records_the_reason_and_tells_the_asker(question, moderator, resident):
    services.decline_question(moderator, question, reason="report", note="Signalez-le à la mairie.")
    question.refresh_from_db()
    assert question.status == Status.DECLINED and question.decline_reason == "report"
    assert not Activity.objects.filter(kind=Activity.Kind.QUESTION).exists()
    assert mail.outbox[-1].to == [resident.email]
    refused("status", services.decline_question, moderator, question, reason="other")


def test_the_clock_pauses_while_waiting_for_the_resident_across_a_weekend_and_a_holiday(
    question, moderator, roads, resident
):
    services.route_question(moderator, question, roads, now=at(2026, 4, 28))  # due 15 May
    services.request_details(moderator, question, note="Quel numéro ?", now=at(2026, 4, 30))
    question.refresh_from_db()
    assert question.status == Status.WAITING
    assert "Quel numéro" in mail.outbox[-1].body and mail.outbox[-1].to == [resident.email]
    # Thursday 30 April to Monday 4 May: 1 May (holiday) and the weekend do not count, Monday does.
    services.give_details(resident, question, details="Au 12.", now=at(2026, 5, 4))
    question.refresh_from_db()
    assert question.status == Status.ROUTED
    assert question.paused_days == 1
    assert question.deadline == date(2026, 5, 18)  # 15 May + 1 working day, after the weekend
    assert "Au 12." in question.body


def test_only_the_asker_gives_details(question, moderator, other_resident):
    services.request_details(moderator, question, note="Où ?")
    refused("not_asker", services.give_details, other_resident, question, details="Ici")


def test_details_asked_before_routing_send_the_question_back_to_qualification(question, moderator, resident):
    services.request_details(moderator, question, note="Où ?")
    services.give_details(resident, question, details="Rue Lavoisier")
    question.refresh_from_db()
    assert question.status == Status.NEW and question.paused_days == 0


# Answering ----------------------------------------------------------------------------------------


def test_an_agent_drafts_and_publishes_where_no_validation_is_needed(routed, agent, resident, other_resident):
    services.follow_question(other_resident, routed)
    answer = services.draft_answer(agent, routed, body="En mars.", links="https://example.fr/arrete.pdf")
    assert answer.state == Answer.State.DRAFT
    mail.outbox.clear()
    services.submit_answer(agent, answer)
    answer.refresh_from_db()
    routed.refresh_from_db()
    assert answer.state == Answer.State.PUBLISHED and routed.status == Status.ANSWERED
    assert routed.working_days_taken is not None
    assert sorted(m.to[0] for m in mail.outbox) == [other_resident.email, resident.email]


def test_an_answer_by_someone_outside_the_service_is_refused(routed, other_agent, resident, moderator):
    for user in (other_agent, resident, moderator):
        refused("not_agent", services.draft_answer, user, routed, body="Réponse")
    assert not Answer.objects.exists()


def test_staff_answer_for_any_service(routed, staff):
    answer = services.draft_answer(staff, routed, body="Réponse de l'équipe.")
    services.submit_answer(staff, answer)
    assert Answer.objects.get().state == Answer.State.PUBLISHED


def test_a_validator_approves_but_never_their_own_answer(routed, agent, validator, roads):
    roads.validation_required = True
    roads.save()
    answer = services.submit_answer(agent, services.draft_answer(agent, routed, body="En mars."))
    assert answer.state == Answer.State.SUBMITTED
    refused("own_answer", services.validate_answer, agent, answer)
    refused("not_validator", services.validate_answer, routed.asker, answer)
    services.validate_answer(validator, answer)
    answer.refresh_from_db()
    assert answer.state == Answer.State.PUBLISHED and answer.validator == validator


def test_a_validator_cannot_approve_an_answer_they_wrote(routed, roads, make_user):
    both = make_user("both@example.fr", pseudonym="Les deux", groups=[roads.agents.name, roads.validators.name])
    roads.validation_required = True
    roads.save()
    answer = services.submit_answer(both, services.draft_answer(both, routed, body="Texte."))
    refused("own_answer", services.validate_answer, both, answer)


def test_a_second_answer_to_a_closed_question_is_refused(routed, agent, moderator):
    services.submit_answer(agent, services.draft_answer(agent, routed, body="Première."))
    refused("not_answerable", services.draft_answer, agent, routed, body="Seconde.")
    services.close_question(moderator, routed)
    refused("not_answerable", services.draft_answer, agent, routed, body="Seconde.")
    assert Answer.objects.count() == 1


def test_working_days_taken_leave_out_the_pause(question, moderator, roads, agent, resident):
    services.route_question(moderator, question, roads, now=at(2026, 4, 28))
    services.request_details(agent, question, note="Quel numéro ?", now=at(2026, 4, 29))
    services.give_details(resident, question, details="12", now=at(2026, 5, 4))  # 30 Apr + 4 May: 2 days paused
    answer = services.draft_answer(agent, question, body="Fait.", now=at(2026, 5, 5))
    services.submit_answer(agent, answer, now=at(2026, 5, 5))
    question.refresh_from_db()
    # 29, 30 Apr, 4, 5 May = 4 working days after routing, minus 2 paused.
    assert question.working_days_taken == 2


# The answer lives on -------------------------------------------------------------------------------


def test_staff_add_the_answer_to_the_wiki_as_new_revisions(routed, agent, staff, wiki_page, territory):
    answer = services.submit_answer(agent, services.draft_answer(agent, routed, body="Travaux en mars."))
    revisions_before = wiki_page.revisions.count()
    pages = services.add_answer_to_wiki(staff, answer)
    wiki_page.refresh_from_db()
    assert wiki_page.revisions.count() == revisions_before + 1
    assert "Voirie" in wiki_page.body and "Travaux en mars." in wiki_page.body
    assert f"/questions/{routed.pk}/" in wiki_page.body
    faq = WikiPage.objects.child_of(territory["lormont"]).get(slug=pages[1].slug)
    assert "Travaux en mars." in faq.body
    refused("already", services.add_answer_to_wiki, staff, answer)


def test_only_staff_add_to_the_wiki(routed, agent, moderator):
    answer = services.submit_answer(agent, services.draft_answer(agent, routed, body="Réponse."))
    refused("not_staff", services.add_answer_to_wiki, moderator, answer)


def test_an_answer_marked_out_of_date_links_to_the_newer_one(routed, agent, staff, moderator, resident, wiki_page):
    old = services.submit_answer(agent, services.draft_answer(agent, routed, body="Ancienne règle."))
    newer_question = services.route_question(
        moderator, services.ask_question(resident, wiki_page, title="Nouvelle règle ?"), routed.service
    )
    newer = services.submit_answer(agent, services.draft_answer(agent, newer_question, body="Nouvelle règle."))
    refused("replaced_by", services.mark_out_of_date, staff, old, replaced_by=old)
    services.mark_out_of_date(staff, old, replaced_by=newer)
    old.refresh_from_db()
    assert old.out_of_date and old.replaced_by == newer


# Reminders -----------------------------------------------------------------------------------------


def test_reminders_before_the_deadline_and_when_overdue_go_once(routed, roads):
    mail.outbox.clear()
    today = timezone.localdate()
    Question.objects.filter(pk=routed.pk).update(deadline=today)
    call_command("send_question_reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[roads.contact_email]]
    call_command("send_question_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    Question.objects.filter(pk=routed.pk).update(deadline=today - timedelta(days=1))
    assert services.send_reminders() == 1
    assert "Overdue" in mail.outbox[-1].subject or "retard" in mail.outbox[-1].subject.lower()
    assert services.send_reminders() == 0
