"""The moderation log: one writer, append-only lines, one appeal per decision."""

import pytest
from django.db import IntegrityError, transaction

from members.models import ModerationDecision
from members.moderation import record_decision

pytestmark = pytest.mark.django_db


def test_record_decision_keys_the_item_like_the_ledger(resident, moderator, territory):
    page = territory["lormont"]
    line = record_decision(
        ModerationDecision.Action.HIDE,
        actor=moderator,
        member=resident.member,
        target=page,
        target_label="x" * 300,
        rule=ModerationDecision.Rule.SPAM,
        statement="Hidden: advertising.",
    )
    assert line.target == f"{page._meta.app_label}.{page._meta.model_name}:{page.pk}"
    assert len(line.target_label) == 255
    assert list(resident.member.moderation_decisions.all()) == [line]


def test_a_decision_can_be_appealed_once(resident, moderator):
    decision = record_decision(ModerationDecision.Action.WARN, actor=moderator, member=resident.member, statement="s")
    record_decision(ModerationDecision.Action.APPEAL, actor=resident, member=resident.member, concerns=decision)
    with pytest.raises(IntegrityError), transaction.atomic():
        record_decision(ModerationDecision.Action.APPEAL, actor=resident, member=resident.member, concerns=decision)
    # Other lines about the same decision are not appeals and stay possible.
    record_decision(ModerationDecision.Action.APPEAL_REJECTED, actor=moderator, concerns=decision)
    assert decision.followups.count() == 2


def test_moderation_settings_have_safe_defaults_without_a_site(db):
    from wagtail.models import Site

    from members.moderation import moderation_settings

    Site.objects.all().delete()
    rules = moderation_settings()
    assert rules.report_threshold == 3
    assert rules.moderators_may_sanction is False
