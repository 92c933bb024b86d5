from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from members.models import Activity
from workshops import services
from workshops.models import Registration, RegistrationChange, WorkshopPage

Status = Registration.Status
pytestmark = pytest.mark.django_db


def statuses(workshop):
    return dict(workshop.registrations.values_list("member__pseudonym", "status"))


def test_register_confirms_then_waitlists_in_order(workshop, make_member):
    a, b, c, d = (make_member() for _ in range(4))
    assert services.register(a, workshop).status == Status.CONFIRMED
    assert services.register(b, workshop).status == Status.CONFIRMED
    rc = services.register(c, workshop)
    rd = services.register(d, workshop)
    assert (rc.status, rd.status) == (Status.WAITLISTED, Status.WAITLISTED)
    assert (rc.waitlist_position(), rd.waitlist_position()) == (1, 2)
    # Registering twice changes nothing.
    assert services.register(a, workshop).status == Status.CONFIRMED
    assert Registration.objects.count() == 4
    change = RegistrationChange.objects.get(registration=rc)
    assert (change.from_status, change.to_status) == ("", Status.WAITLISTED)


def test_cancel_promotes_the_first_waitlisted_and_emails_them(workshop, make_member):
    a, b, c, d = (make_member() for _ in range(4))
    ra = services.register(a, workshop)
    services.register(b, workshop)
    rc = services.register(c, workshop)
    services.register(d, workshop)
    mail.outbox.clear()
    services.cancel(ra)
    assert statuses(workshop) == {
        a.pseudonym: Status.CANCELLED,
        b.pseudonym: Status.CONFIRMED,
        c.pseudonym: Status.CONFIRMED,
        d.pseudonym: Status.WAITLISTED,
    }
    assert [m.to for m in mail.outbox] == [[c.user.email]]
    rc.refresh_from_db()
    assert list(rc.changes.values_list("to_status", flat=True)) == [Status.WAITLISTED, Status.CONFIRMED]
    with pytest.raises(services.WorkshopError):
        services.cancel(ra)


def test_registration_refused_when_closed_cancelled_or_invitation_only(make_workshop, make_member):
    member = make_member()
    closed = make_workshop(registration_deadline=timezone.now() - timedelta(hours=1))
    invitation = make_workshop(registration_mode=WorkshopPage.Mode.INVITATION)
    for workshop in (closed, invitation):
        with pytest.raises(services.WorkshopError):
            services.register(member, workshop)
    cancelled = make_workshop()
    services.cancel_workshop(cancelled)
    with pytest.raises(services.WorkshopError):
        services.register(member, cancelled)
    assert not Registration.objects.exists()


def test_invite_only_consenting_members_and_never_twice(workshop, make_member, staff):
    yes, no = make_member(), make_member(invitable=False)
    result = services.invite(workshop, [yes, no], by=staff)
    assert [r.member for r in result.invited] == [yes]
    assert [m for m, _reason in result.not_invitable] == [no]
    assert len(mail.outbox) == 1
    again = services.invite(workshop, [yes], by=staff)
    assert again.invited == [] and [m for m, _s in again.already] == [yes]
    assert len(mail.outbox) == 1
    registration = Registration.objects.get(member=yes)
    assert registration.status == Status.INVITED and registration.invited_by == staff
    assert registration.rsvp_token_hash and registration.email_sent_at


def invited(workshop, member, staff):
    services.invite(workshop, [member], by=staff)
    registration = Registration.objects.get(workshop=workshop, member=member)
    return registration, registration.issue_token()


def test_rsvp_accept_and_decline(workshop, make_member, staff):
    registration, token = invited(workshop, make_member(), staff)
    assert services.rsvp(token, True).status == Status.CONFIRMED
    # The confirmation email carries fresh links: the invitation's link is superseded.
    with pytest.raises(services.WorkshopError):
        services.rsvp(token, False)
    token = registration.issue_token()
    assert services.rsvp(token, True).status == Status.CONFIRMED  # idempotent
    assert services.rsvp(token, False).status == Status.CANCELLED
    other, other_token = invited(workshop, make_member(), staff)
    assert services.rsvp(other_token, False).status == Status.DECLINED


def test_rsvp_full_workshop_waitlists(make_workshop, make_member, staff):
    workshop = make_workshop(capacity=1)
    services.register(make_member(), workshop)
    _registration, token = invited(workshop, make_member(), staff)
    assert services.rsvp(token, True).status == Status.WAITLISTED


def test_rsvp_bad_tokens_change_nothing(workshop, make_member, staff):
    registration, token = invited(workshop, make_member(), staff)
    for bad in ("forged", "", token[:-1]):
        with pytest.raises(services.WorkshopError):
            services.rsvp(bad, True)
    registration.refresh_from_db()
    assert registration.status == Status.INVITED
    # A newer email replaces the token: the old link stops working.
    fresh = registration.issue_token()
    with pytest.raises(services.WorkshopError):
        services.rsvp(token, True)
    # After the workshop the token has expired.
    WorkshopPage.objects.filter(pk=workshop.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(services.WorkshopError):
        services.rsvp(fresh, True)
    registration.refresh_from_db()
    assert registration.status == Status.INVITED


def test_rsvp_after_deadline_refused(make_workshop, make_member, staff):
    workshop = make_workshop()
    registration, token = invited(workshop, make_member(), staff)
    WorkshopPage.objects.filter(pk=workshop.pk).update(registration_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.WorkshopError):
        services.rsvp(token, True)
    registration.refresh_from_db()
    assert registration.status == Status.INVITED


def test_set_capacity_promotes_and_refuses_below_confirmed(workshop, make_member):
    members = [make_member() for _ in range(4)]
    for member in members:
        services.register(member, workshop)
    with pytest.raises(services.WorkshopError) as error:
        services.set_capacity(workshop, 1)
    assert "2" in str(error.value)
    workshop.refresh_from_db()
    assert workshop.capacity == 2
    services.set_capacity(workshop, 3)
    workshop.refresh_from_db()
    assert workshop.capacity == 3
    assert workshop.latest_revision.as_object().capacity == 3
    assert sorted(statuses(workshop).values()) == [Status.CONFIRMED] * 3 + [Status.WAITLISTED]


def test_check_in_records_attendance_and_reverts(workshop, make_member, staff):
    registration = services.register(make_member(), workshop)
    assert not Activity.objects.exists()  # sign-up is not engagement
    services.check_in(registration, True, by=staff)
    services.check_in(registration, True, by=staff)  # twice: one line
    line = Activity.objects.get()
    assert line.kind == Activity.Kind.WORKSHOP_ATTENDED
    assert line.page_id == workshop.pk and line.target == f"workshops.workshoppage:{workshop.pk}"
    registration.refresh_from_db()
    assert registration.status == Status.ATTENDED
    services.check_in(registration, False, by=staff)
    registration.refresh_from_db()
    assert registration.status == Status.ABSENT
    revert = Activity.objects.get(kind=Activity.Kind.REVERTED)
    assert revert.concerns == line
    assert Activity.objects.count() == 2
    assert list(registration.changes.values_list("to_status", flat=True)) == [
        Status.CONFIRMED,
        Status.ATTENDED,
        Status.ABSENT,
    ]


def test_walk_in_is_registered_and_checked_in(workshop, make_member, staff):
    registration = services.add_walk_in(workshop, make_member(invitable=False), by=staff)
    assert registration.status == Status.ATTENDED
    assert Activity.objects.filter(kind=Activity.Kind.WORKSHOP_ATTENDED).count() == 1


def test_cancel_workshop_sends_ics_cancel(workshop, make_member, staff):
    a, b = make_member(), make_member()
    services.register(a, workshop)
    services.invite(workshop, [b], by=staff)
    mail.outbox.clear()
    services.cancel_workshop(workshop, by=staff)
    workshop.refresh_from_db()
    assert workshop.is_cancelled and workshop.ics_sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    ics = next(att for att in mail.outbox[0].attachments if att.get_content_type() == "text/calendar")
    assert "METHOD:CANCEL" in ics.get_content()
    with pytest.raises(services.WorkshopError):
        services.cancel_workshop(workshop)


def test_reschedule_sends_update_with_higher_sequence(workshop, make_member):
    services.register(make_member(), workshop)
    mail.outbox.clear()
    start = workshop.starts_at + timedelta(days=1)
    services.reschedule(
        workshop, starts_at=start, ends_at=start + timedelta(hours=3), address="1 place Aristide Briand"
    )
    workshop.refresh_from_db()
    assert workshop.ics_sequence == 1 and workshop.address == "1 place Aristide Briand"
    [message] = mail.outbox
    ics = next(att for att in message.attachments if att.get_content_type() == "text/calendar").get_content()
    assert "SEQUENCE:1" in ics and f"UID:workshop-{workshop.pk}@quartiers" in ics and "METHOD:REQUEST" in ics


def test_reschedule_end_before_start_changes_nothing(workshop):
    with pytest.raises(services.WorkshopError):
        services.reschedule(workshop, ends_at=workshop.starts_at - timedelta(hours=1))
    workshop.refresh_from_db()
    assert workshop.ics_sequence == 0 and workshop.ends_at > workshop.starts_at


def test_email_failure_is_recorded(workshop, make_member, staff, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def boom(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", boom)
    member = make_member()
    services.invite(workshop, [member], by=staff)
    registration = Registration.objects.get(member=member)
    assert "SMTP down" in registration.email_error
    assert registration.status == Status.INVITED
