"""Warnings, mutes and blocks through the services: the member changes, the log line, the statement, the appeal."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone, translation

from members import access, scoring
from members.models import Block, ModerationDecision, Mute, Warning
from members.moderation import record_decision, register_reversal
from members.roles import MODERATORS
from members.services import (
    SanctionRefused,
    acknowledge_warning,
    appeal_decision,
    block_member,
    lift_block,
    lift_mute,
    mute_member,
    review_appeal,
    warn_member,
)

pytestmark = pytest.mark.django_db
Action = ModerationDecision.Action
Rule = ModerationDecision.Rule
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def other_moderator(make_user):
    return make_user("modo2@example.fr", pseudonym="Modo2", groups=[MODERATORS])


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_a_warning_stops_posting_until_acknowledged(resident, senior_moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        warning = warn_member(
            resident.member, by=senior_moderator, rule=Rule.HARASSMENT, statement="Restez courtois.", note="2e fois"
        )
    decision = warning.decision
    assert (decision.action, decision.actor, decision.member, decision.rule) == (
        Action.WARN,
        senior_moderator,
        resident.member,
        Rule.HARASSMENT,
    )
    assert decision.note == "2e fois" and warning.message == "Restez courtois."
    assert not access.is_contributor(fresh(resident))
    acknowledge_warning(resident.member, warning)
    assert access.is_contributor(fresh(resident))
    # The statement went out by email in the member's language (the site's: French), with the rule, what
    # happens next and the way to contest it.
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [resident.email]
    assert "Avertissement" in mail.outbox[0].subject
    assert "Restez courtois." in body and "Insulte ou harcèlement" in body
    assert "Confirmez la lecture de cet avertissement" in body
    assert f"/me/moderation/{decision.pk}/appeal/" in body
    assert "2e fois" not in body  # the internal note stays internal


def test_nobody_acknowledges_someone_elses_warning(resident, moderator, senior_moderator):
    warning = warn_member(resident.member, by=senior_moderator, rule=Rule.SPAM, statement="Stop.")
    with pytest.raises(SanctionRefused):
        acknowledge_warning(moderator.member, warning)
    assert Warning.objects.get(pk=warning.pk).acknowledged_at is None


def test_a_mute_stops_posting_for_its_duration_and_logs_its_lifting(resident, senior_moderator, moderator):
    now = timezone.now()
    mute = mute_member(
        resident.member, by=senior_moderator, ends_at=now + 3 * DAY, rule=Rule.SPAM, statement="Publicité.", at=now
    )
    assert mute.decision.action == Action.MUTE and mute.decision.ends_at == now + 3 * DAY
    assert access.is_muted(fresh(resident)) and not access.is_contributor(fresh(resident))
    assert access.is_verified(fresh(resident))  # still reads, edits the profile and appeals
    lift_mute(mute, by=moderator)
    assert not access.is_muted(fresh(resident))
    unmute = ModerationDecision.objects.get(action=Action.UNMUTE)
    assert unmute.concerns == mute.decision and unmute.member == resident.member and unmute.statement


def test_a_mute_ends_in_the_future(resident, senior_moderator):
    with pytest.raises(SanctionRefused):
        mute_member(resident.member, by=senior_moderator, ends_at=timezone.now(), rule=Rule.SPAM, statement="x")
    assert not Mute.objects.exists() and not ModerationDecision.objects.exists()


def test_blocks_from_anywhere_log_a_block_and_its_lifting(resident, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        block = block_member(resident.member, reason="Insultes répétées", by=moderator)
        lift_block(block, by=moderator)
    logged = list(ModerationDecision.objects.order_by("pk").values_list("action", "statement"))
    assert logged[0] == (Action.BLOCK, "Insultes répétées")
    assert logged[1][0] == Action.UNBLOCK
    assert ModerationDecision.objects.get(action=Action.UNBLOCK).concerns.action == Action.BLOCK
    assert [message.to for message in mail.outbox] == [[resident.email]] * 2


def test_a_sanction_from_a_report_names_the_reported_item(resident, senior_moderator):
    report = record_decision(
        Action.HIDE,
        actor=senior_moderator,
        member=resident.member,
        target="discussion.comment:12",
        target_label="Comment #12",
        target_url="/discussion/3/#comment-12",
    )
    warning = warn_member(resident.member, by=senior_moderator, rule=Rule.SPAM, statement="Spam.", source=report)
    assert warning.decision.target_label == "Comment #12"
    assert warning.decision.concerns == report


# Appeals --------------------------------------------------------------------------------------


def test_a_decision_is_contested_once(resident, senior_moderator):
    warning = warn_member(resident.member, by=senior_moderator, rule=Rule.SPAM, statement="Spam.")
    appeal = appeal_decision(resident, warning.decision, text="Ce n'était pas de la publicité.")
    assert (appeal.action, appeal.concerns, appeal.details) == (
        Action.APPEAL,
        warning.decision,
        "Ce n'était pas de la publicité.",
    )
    with pytest.raises(SanctionRefused, match="once"):
        appeal_decision(resident, warning.decision, text="Encore.")
    assert ModerationDecision.objects.filter(action=Action.APPEAL).count() == 1


def test_only_the_member_concerned_contests_and_not_every_line(resident, moderator, senior_moderator):
    warning = warn_member(resident.member, by=senior_moderator, rule=Rule.SPAM, statement="Spam.")
    with pytest.raises(SanctionRefused):
        appeal_decision(moderator, warning.decision, text="Pour elle.")
    report = record_decision(Action.REPORT, actor=moderator, member=resident.member, statement="")
    with pytest.raises(SanctionRefused):
        appeal_decision(resident, report, text="Non.")
    with pytest.raises(SanctionRefused):
        appeal_decision(resident, warning.decision, text="   ")


def test_the_moderator_who_decided_does_not_review_the_appeal(resident, senior_moderator):
    mute = mute_member(
        resident.member, by=senior_moderator, ends_at=timezone.now() + DAY, rule=Rule.SPAM, statement="Spam."
    )
    appeal = appeal_decision(resident, mute.decision, text="Erreur.")
    with pytest.raises(SanctionRefused, match="another moderator"):
        review_appeal(senior_moderator, appeal, grant=True, statement="OK")
    assert access.is_muted(fresh(resident))


def test_an_appeal_against_a_sanction_needs_the_senior_tier(resident, moderator, senior_moderator, staff):
    mute = mute_member(resident.member, by=staff, ends_at=timezone.now() + DAY, rule=Rule.SPAM, statement="Spam.")
    appeal = appeal_decision(resident, mute.decision, text="Erreur.")
    with pytest.raises(SanctionRefused, match="senior"):
        review_appeal(moderator, appeal, grant=True, statement="OK")
    with pytest.raises(SanctionRefused):
        review_appeal(resident, appeal, grant=True, statement="OK")
    with pytest.raises(SanctionRefused, match="reason"):
        review_appeal(senior_moderator, appeal, grant=True, statement=" ")
    assert not appeal.followups.exists()


def test_a_granted_appeal_lifts_the_mute_and_tells_the_member(
    resident, senior_moderator, staff, django_capture_on_commit_callbacks
):
    mute = mute_member(resident.member, by=staff, ends_at=timezone.now() + DAY, rule=Rule.SPAM, statement="Spam.")
    appeal = appeal_decision(resident, mute.decision, text="Erreur.")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = review_appeal(senior_moderator, appeal, grant=True, statement="Vous avez raison.", note="à revoir")
    assert (outcome.action, outcome.concerns, outcome.member) == (Action.APPEAL_GRANTED, appeal, resident.member)
    assert not access.is_muted(fresh(resident))
    assert ModerationDecision.objects.filter(action=Action.UNMUTE, concerns=mute.decision).exists()
    subjects = [message.subject for message in mail.outbox]
    assert any("Recours accepté" in subject for subject in subjects)
    assert "Vous avez raison." in mail.outbox[-1].body and "à revoir" not in mail.outbox[-1].body
    with pytest.raises(SanctionRefused, match="already"):
        review_appeal(staff, appeal, grant=False, statement="Non.")


def test_granted_appeals_withdraw_a_warning_and_lift_a_block(resident, senior_moderator, staff):
    warning = warn_member(resident.member, by=staff, rule=Rule.SPAM, statement="Spam.")
    review_appeal(
        senior_moderator, appeal_decision(resident, warning.decision, text="Non."), grant=True, statement="Ok"
    )
    assert Warning.objects.get(pk=warning.pk).acknowledged_at is not None
    block = block_member(resident.member, reason="Spam", by=staff)
    decision = ModerationDecision.objects.get(action=Action.BLOCK)
    review_appeal(senior_moderator, appeal_decision(resident, decision, text="Non."), grant=True, statement="Ok")
    assert not Block.objects.get(pk=block.pk).in_force()
    assert access.is_contributor(fresh(resident))


def test_a_rejected_appeal_keeps_the_decision(resident, senior_moderator, staff):
    mute = mute_member(resident.member, by=staff, ends_at=timezone.now() + DAY, rule=Rule.SPAM, statement="Spam.")
    outcome = review_appeal(
        senior_moderator, appeal_decision(resident, mute.decision, text="Non."), grant=False, statement="Il reste."
    )
    assert outcome.action == Action.APPEAL_REJECTED
    assert access.is_muted(fresh(resident))


def test_a_granted_appeal_on_an_item_calls_its_apps_reversal(resident, moderator, other_moderator, monkeypatch):
    reversed_ = []
    monkeypatch.setattr("members.moderation._reversals", {})
    register_reversal("discussion.comment", lambda decision, *, actor, at: reversed_.append((decision, actor)))
    hide = record_decision(
        Action.HIDE, actor=moderator, member=resident.member, target="discussion.comment:7", statement="Insulte."
    )
    review_appeal(other_moderator, appeal_decision(resident, hide, text="Non."), grant=True, statement="Rétabli.")
    assert reversed_ == [(hide, other_moderator)]
    # With no reversal registered for its kind of item, nothing is decided.
    photo = record_decision(
        Action.HIDE, actor=moderator, member=resident.member, target="photos.photo:1", statement="x"
    )
    appeal = appeal_decision(resident, photo, text="Non.")
    with pytest.raises(SanctionRefused):
        review_appeal(other_moderator, appeal, grant=True, statement="Rétabli.")
    assert not appeal.followups.exists()


# Ranking -------------------------------------------------------------------------------------


def test_muted_or_warned_members_rank_like_blocked_ones(veteran, territory, senior_moderator, staff):
    from members.models import Activity

    now = timezone.now()
    ranked = [veteran(f"rank{i}@example.fr", f"Rang {i}") for i in range(3)]
    for member in ranked:
        for _ in range(3):
            Activity.objects.create(
                member=member, kind=Activity.Kind.PAGE_CREATED, page=territory["lormont"], occurred_at=now - DAY
            )
    names = lambda: {standing.member.pk for standing in scoring.rank_members(now=now + timedelta(seconds=1))}  # noqa: E731
    assert names() == {member.pk for member in ranked}
    warn_member(ranked[0], by=senior_moderator, rule=Rule.SPAM, statement="x", at=now - 29 * DAY)
    mute_member(ranked[1], by=senior_moderator, ends_at=now + DAY, rule=Rule.SPAM, statement="x", at=now)
    assert names() == {ranked[2].pk}
    reasons = scoring.ineligibility_reasons(ranked[0], now=now)
    assert any("muted or warned" in reason for reason in reasons)
    # Past the configured days, a warning no longer keeps a member out.
    later = now + 2 * DAY
    assert ranked[0].pk in {s.member.pk for s in scoring.rank_members(now=later)}
    # A warning reversed on appeal never counted.
    warning = warn_member(ranked[2], by=senior_moderator, rule=Rule.SPAM, statement="x", at=now)
    assert ranked[2].pk not in names()
    appeal = appeal_decision(ranked[2].user, warning.decision, text="Non.")
    review_appeal(staff, appeal, grant=True, statement="Ok")
    assert ranked[2].pk in names()
