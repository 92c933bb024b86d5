"""members.services.set_consents: the one writer of consents, member and record together."""

import pytest

from members import scoring
from members.models import ConsentRecord, Member
from members.services import set_consents

pytestmark = pytest.mark.django_db
Consent = Member.Consent


def records(member):
    return list(ConsentRecord.objects.filter(member=member).values_list("consent", "given"))


def test_a_change_writes_the_member_and_its_record(resident):
    member = resident.member
    assert set_consents(member, {Consent.INVITATIONS: True, Consent.LEADERBOARD: False}) == [Consent.INVITATIONS]
    member.refresh_from_db()
    assert member.accept_invitations is True
    assert member.show_on_leaderboard is False
    assert records(member) == [("invitations", True)]

    assert set_consents(member, {Consent.INVITATIONS: True}) == []  # no change, no record
    assert records(member) == [("invitations", True)]


def test_the_member_and_the_record_are_written_together(resident, monkeypatch):
    member = resident.member

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ConsentRecord.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        set_consents(member, {Consent.LEADERBOARD: True})
    assert Member.objects.get(pk=member.pk).show_on_leaderboard is False


def test_a_leaderboard_consent_refreshes_the_leaderboards(resident):
    before = scoring.generation()
    set_consents(resident.member, {Consent.INVITATIONS: True})
    assert scoring.generation() == before
    set_consents(resident.member, {Consent.LEADERBOARD: True})
    assert scoring.generation() != before


def test_the_workshop_email_link_withdraws_through_the_same_service(client, resident):
    from django.core import signing

    from workshops import tasks

    member = resident.member
    set_consents(member, {Consent.INVITATIONS: True})
    signed = signing.dumps(member.pk, salt=tasks.UNSUBSCRIBE_SALT)
    assert client.post(f"/workshops-rsvp/withdraw/{signed}/").status_code == 200
    member.refresh_from_db()
    assert member.accept_invitations is False
    assert records(member) == [("invitations", True), ("invitations", False)]
    client.post(f"/workshops-rsvp/withdraw/{signed}/")  # twice: nothing more to record
    assert records(member) == [("invitations", True), ("invitations", False)]
