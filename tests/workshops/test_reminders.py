import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from workshops import services
from workshops.models import Registration

pytestmark = pytest.mark.django_db


def test_reminders_two_days_before_once_per_registration(make_workshop, make_member, staff):
    soon = make_workshop(starts_at=timezone.now() + timedelta(days=1, hours=20))
    later = make_workshop(starts_at=timezone.now() + timedelta(days=5))
    confirmed = services.register(make_member(), soon)
    services.register(make_member(), later)
    services.invite(soon, [make_member()], by=staff)  # invited, not confirmed: no reminder
    mail.outbox.clear()
    call_command("send_workshop_reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[confirmed.member.user.email]]
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None
    assert services.send_reminders() == 0
    assert len(mail.outbox) == 1


def test_no_reminder_for_cancelled_workshop(make_workshop, make_member):
    soon = make_workshop(starts_at=timezone.now() + timedelta(days=1))
    services.register(make_member(), soon)
    services.cancel_workshop(soon)
    assert services.send_reminders() == 0
    assert Registration.objects.filter(reminder_sent_at__isnull=False).count() == 0
