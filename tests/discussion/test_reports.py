"""Reports through discussion.moderation: who reports, weights, the threshold, decisions, the log and the ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from discussion import moderation, services
from discussion.models import Comment, Report
from members import moderation as log
from members import scoring
from members.models import Activity, ModerationDecision
from tests.discussion.conftest import LONG
from wiki import services as wiki_services
from wiki.models import RevisionMeta

Action = ModerationDecision.Action


@pytest.fixture(autouse=True)
def generous_limits(settings):
    settings.DISCUSSION_COMMENTS_PER_HOUR_NEW = 100


@pytest.fixture
def comment(wiki_page, resident):
    return services.post_comment(resident, wiki_page, LONG)


@pytest.fixture
def old_revision(wiki_page, resident):
    """A version of the page by the resident that is no longer the current one."""
    first = wiki_page.latest_revision
    wiki_services.edit_page(
        resident, wiki_page, base_revision_id=first.pk, title=wiki_page.title, body="Un jardin partagé, et des bancs."
    )
    wiki_page.refresh_from_db()
    return first


def discussion_points(user):
    return scoring.member_standing(user.member).breakdown.get(str(Activity.Kind.DISCUSSION), 0)


def report_points(user):
    return scoring.member_standing(user.member).breakdown.get(str(Activity.Kind.REPORT_UPHELD), 0)


def report(user, item, reason="harassment", details=""):
    return moderation.file_report(user, item, reason, details)


def fresh_item(item):
    return moderation.item_by_target(item.target)


# Weights ---------------------------------------------------------------------------------------


def test_a_new_account_weighs_half_an_old_one_more_and_upheld_reports_add(
    make_reporters, trusted_resident, moderator, wiki_page, resident, threshold
):
    (new,) = make_reporters(1)
    assert moderation.report_weight(new) == Decimal("0.50")
    assert moderation.report_weight(trusted_resident) == Decimal("1.00")  # a year old, no contribution yet
    threshold(100)
    for n in range(2):
        comment = services.post_comment(resident, wiki_page, f"{LONG} {n}")
        item = moderation.comment_item(comment)
        report(trusted_resident, item)
        moderation.hide_item(moderator, item, "harassment", "Caché.")
    # Two reports upheld out of two: +0.5, and two REPORT_UPHELD lines count as contributions.
    assert moderation.report_weight(trusted_resident) == Decimal("1.55")


def test_dismissed_reports_lower_the_weight_but_never_below_the_floor(
    make_reporters, trusted_resident, moderator, wiki_page, resident, threshold
):
    threshold(100)
    for n in range(3):
        item = moderation.comment_item(services.post_comment(resident, wiki_page, f"{LONG} {n}"))
        report(trusted_resident, item)
        moderation.dismiss_reports(moderator, item)
    assert moderation.report_weight(trusted_resident) == Decimal("0.50")


def test_a_blocked_member_may_report_but_weighs_nothing(blocked, comment, threshold):
    threshold(Decimal("0.5"))
    made = report(blocked, moderation.comment_item(comment), "illegal")
    assert made.weight == 0
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED


# Filing -----------------------------------------------------------------------------------------


def test_reporting_each_kind_writes_a_report_and_a_log_line(other_resident, comment, old_revision, wiki_page, resident):
    items = [
        moderation.comment_item(comment),
        moderation.revision_item(old_revision, wiki_page),
        moderation.member_item(resident.member),
    ]
    for item in items:
        made = report(other_resident, item, "spam", "  Du spam.  ")
        assert made.state == Report.State.OPEN and made.details == "Du spam." and made.member == resident.member
        line = ModerationDecision.objects.get(action=Action.REPORT, target=item.target)
        assert line.actor == other_resident and line.member == resident.member
        assert line.rule == "spam" and line.details == "Du spam." and line.target_url and line.statement == ""
    assert Report.objects.filter(reporter=other_resident).count() == 3


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("twice", "already reported"),
        ("own", "your own"),
        ("deleted", "already removed"),
        ("hidden", "already removed"),
        ("too_long", "at most 1000 characters"),
        ("reason", "Choose the reason"),
        ("unverified", "Confirm your email"),
        ("anonymous", "Sign in"),
    ],
)
def test_refusals_save_nothing(case, message, other_resident, resident, unverified, comment, settings):
    settings.LANGUAGE_CODE = "en"
    from django.contrib.auth.models import AnonymousUser

    user, reason, details = other_resident, "spam", ""
    if case == "twice":
        report(other_resident, moderation.comment_item(comment))
    elif case == "own":
        user = resident
    elif case == "deleted":
        services.delete_comment(resident, comment)
    elif case == "hidden":
        with transaction.atomic():
            services.hide_comment(comment)
    elif case == "too_long":
        details = "x" * 1001
    elif case == "reason":
        reason = "rude"
    elif case == "unverified":
        user = unverified
    elif case == "anonymous":
        user = AnonymousUser()
    before = (Report.objects.count(), ModerationDecision.objects.count())
    comment.refresh_from_db()
    with pytest.raises(moderation.ReportRefused) as refused:
        moderation.file_report(user, moderation.comment_item(comment), reason, details)
    assert message in refused.value.messages[0]
    assert (Report.objects.count(), ModerationDecision.objects.count()) == before


def test_reporting_oneself_or_a_hidden_version_is_refused(resident, other_resident, old_revision, wiki_page, moderator):
    with pytest.raises(moderation.ReportRefused):
        report(resident, moderation.member_item(resident.member))
    from wiki import moderation as wiki_moderation

    wiki_moderation.hide_revision(moderator, wiki_page, old_revision.pk, "Données personnelles")
    with pytest.raises(moderation.ReportRefused):
        report(other_resident, moderation.revision_item(old_revision, wiki_page))


# The threshold ------------------------------------------------------------------------------------


def test_the_threshold_hides_a_comment_at_once_and_tells_its_author(make_reporters, comment, resident, threshold):
    threshold(1)
    first, second, third = make_reporters(3)
    item = moderation.comment_item(comment)
    assert discussion_points(resident) == 1
    report(first, item, "harassment")
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED  # 0.5 < 1
    report(second, fresh_item(item), "spam", "Publicité")
    comment.refresh_from_db()
    assert comment.state == Comment.State.HIDDEN
    auto = ModerationDecision.objects.get(action=Action.AUTO_HIDE)
    assert auto.actor is None and auto.member == resident.member and auto.target == item.target
    assert auto.rule == "harassment" and "Les jardins" in auto.statement and auto.statement
    assert discussion_points(resident) == 0  # a hidden comment loses its points by itself
    assert not Comment.objects.listed().filter(pk=comment.pk).exists()
    # Hidden: nothing left to report; no second AUTO_HIDE.
    with pytest.raises(moderation.ReportRefused):
        report(third, fresh_item(item))
    assert ModerationDecision.objects.filter(action=Action.AUTO_HIDE).count() == 1


def test_the_threshold_hides_an_old_version_not_the_current_one(
    make_reporters, old_revision, wiki_page, resident, threshold
):
    threshold(1)
    reporters = make_reporters(2)
    current = moderation.revision_item(wiki_page.latest_revision, wiki_page)
    old = moderation.revision_item(old_revision, wiki_page)
    for reporter in reporters:
        report(reporter, old, "personal_data")
        report(reporter, current, "personal_data")
    assert RevisionMeta.objects.get(revision_id=old_revision.pk).hidden
    assert not RevisionMeta.objects.get(revision_id=wiki_page.latest_revision_id).hidden
    assert ModerationDecision.objects.filter(action=Action.AUTO_HIDE).count() == 1
    hidden_line = Activity.objects.get(kind=Activity.Kind.HIDDEN, revision=old_revision)
    assert hidden_line.member == resident.member and hidden_line.concerns.kind == Activity.Kind.PAGE_CREATED


def test_a_member_report_never_hides_anything(make_reporters, resident, threshold):
    threshold(Decimal("0.5"))
    for reporter in make_reporters(3):
        report(reporter, moderation.member_item(resident.member))
    assert not ModerationDecision.objects.filter(action=Action.AUTO_HIDE).exists()
    assert resident.member.reports_about.open().count() == 3


# Decisions -------------------------------------------------------------------------------------------


def hidden_by_reports(make_reporters, comment, threshold):
    threshold(1)
    reporters = make_reporters(2)
    for reporter in reporters:
        report(reporter, fresh_item(moderation.comment_item(comment)))
    comment.refresh_from_db()
    assert comment.state == Comment.State.HIDDEN
    return reporters


def test_a_moderator_restores_an_auto_hidden_comment_points_back_reports_dismissed(
    make_reporters, comment, resident, moderator, threshold
):
    reporters = hidden_by_reports(make_reporters, comment, threshold)
    item = fresh_item(moderation.comment_item(comment))
    decision = moderation.restore_item(moderator, item, moderation.restore_statement(item), note="Pas d'insulte.")
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED
    assert discussion_points(resident) == 1  # the RESTORED line lifts the HIDDEN one
    assert decision.action == Action.RESTORE and decision.actor == moderator and decision.statement
    assert decision.note == "Pas d'insulte."
    assert decision.rule == "harassment"  # the rule the reporters named
    assert set(Report.objects.values_list("state", flat=True)) == {Report.State.DISMISSED}
    assert all(report_points(reporter) == 0 for reporter in reporters)
    assert not moderation.queue().exists()


def test_a_moderator_confirms_the_hiding_reports_upheld_and_reporters_earn(
    make_reporters, comment, resident, moderator, threshold
):
    reporters = hidden_by_reports(make_reporters, comment, threshold)
    item = fresh_item(moderation.comment_item(comment))
    decision = moderation.hide_item(moderator, item, "harassment", "Votre commentaire est masqué.")
    assert decision.action == Action.HIDE and decision.statement == "Votre commentaire est masqué."
    comment.refresh_from_db()
    assert comment.state == Comment.State.HIDDEN and discussion_points(resident) == 0
    assert set(Report.objects.values_list("state", flat=True)) == {Report.State.UPHELD}
    assert all(report_points(reporter) == 1 for reporter in reporters)
    # Only one HIDDEN line: confirming changes nothing in the ledger.
    assert Activity.objects.filter(kind=Activity.Kind.HIDDEN).count() == 1


def test_the_report_upheld_weight_applies(make_reporters, comment, moderator):
    from wagtail.models import Site

    from members.models import ScoringSettings

    scoring_settings = ScoringSettings.for_site(Site.objects.get(is_default_site=True))
    scoring_settings.report_upheld_weight = 4
    scoring_settings.save()
    (reporter,) = make_reporters(1)
    item = moderation.comment_item(comment)
    report(reporter, item)
    moderation.hide_item(moderator, item, "spam", "Masqué.")
    assert report_points(reporter) == 4


def test_a_moderator_hides_a_shown_comment_and_dismisses_or_escalates(
    make_reporters, wiki_page, resident, moderator, threshold
):
    threshold(100)
    (reporter,) = make_reporters(1)
    first = moderation.comment_item(services.post_comment(resident, wiki_page, LONG))
    second = moderation.comment_item(services.post_comment(resident, wiki_page, LONG + " bis"))
    report(reporter, first)
    report(reporter, second)
    escalated = moderation.escalate(moderator, second, "À voir par un senior.")
    assert escalated.action == Action.ESCALATE and escalated.note == "À voir par un senior."
    assert [row["target"] for row in moderation.queue(escalated=True)] == [second.target]
    moderation.dismiss_reports(moderator, first)
    assert Report.objects.get(target=first.target).state == Report.State.DISMISSED
    assert ModerationDecision.objects.get(action=Action.DISMISS).statement == ""
    assert discussion_points(resident) == 2 and report_points(reporter) == 0
    with pytest.raises(moderation.DecisionRefused):
        moderation.dismiss_reports(moderator, first)  # nothing left to dismiss


def test_decisions_need_a_moderator_a_rule_a_statement_and_a_note(comment, resident, other_resident, moderator):
    item = moderation.comment_item(comment)
    report(other_resident, item)
    with pytest.raises(PermissionDenied):
        moderation.hide_item(resident, item, "spam", "x")
    with pytest.raises(moderation.DecisionRefused):
        moderation.hide_item(moderator, item, "rude", "x")
    with pytest.raises(moderation.DecisionRefused):
        moderation.hide_item(moderator, item, "spam", "  ")
    with pytest.raises(moderation.DecisionRefused):
        moderation.escalate(moderator, item, "")
    with pytest.raises(moderation.DecisionRefused):
        moderation.restore_item(moderator, item, "Rétabli.")  # not hidden
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED
    assert not ModerationDecision.objects.exclude(action=Action.REPORT).exists()


def test_the_current_version_cannot_be_hidden_an_old_one_is_and_restored(
    other_resident, old_revision, wiki_page, resident, moderator
):
    current = moderation.revision_item(wiki_page.latest_revision, wiki_page)
    report(other_resident, current)
    with pytest.raises(moderation.DecisionRefused):
        moderation.hide_item(moderator, current, "spam", "Masqué.")
    old = moderation.revision_item(old_revision, wiki_page)
    report(other_resident, old)
    points = scoring.member_standing(resident.member).score
    moderation.hide_item(moderator, old, "personal_data", "Votre version contenait une adresse.")
    assert RevisionMeta.objects.get(revision_id=old_revision.pk).hidden
    assert scoring.member_standing(resident.member).score < points
    moderation.restore_item(moderator, fresh_item(old), "Rétablie.")
    assert not RevisionMeta.objects.get(revision_id=old_revision.pk).hidden
    assert scoring.member_standing(resident.member).score == points


def test_an_appeal_granted_restores_through_the_registered_reversal(make_reporters, comment, resident, threshold):
    hidden_by_reports(make_reporters, comment, threshold)
    auto = ModerationDecision.objects.get(action=Action.AUTO_HIDE)
    reverse = log.reversal_for(auto)
    assert reverse is not None
    with transaction.atomic():
        assert reverse(auto, actor=None, at=None)
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED and discussion_points(resident) == 1


def test_a_held_comment_is_published_or_hidden(wiki_page, resident, moderator):
    held = services.post_comment(resident, wiki_page, LONG)
    Comment.objects.filter(pk=held.pk).update(state=Comment.State.HELD)
    held.refresh_from_db()
    assert moderation.held_comments() == [held]
    decision = moderation.publish_held(moderator, held)
    held.refresh_from_db()
    assert held.state == Comment.State.PUBLISHED and decision.action == Action.RESTORE and decision.statement
    with pytest.raises(moderation.DecisionRefused):
        moderation.publish_held(moderator, held)
    other = services.post_comment(resident, wiki_page, LONG + " bis")
    Comment.objects.filter(pk=other.pk).update(state=Comment.State.HELD)
    moderation.hide_item(moderator, fresh_item(moderation.comment_item(other)), "spam", "Refusé : publicité.")
    other.refresh_from_db()
    assert other.state == Comment.State.HIDDEN and discussion_points(resident) == 1
