"""Registrants hear about every published change of time, place or status.

Whoever publishes a workshop (staff in the Wagtail editor, a scheduled
revision, a revert, or the check-in page through workshops.services), the
values live before the publish are read from the page row just before it is
overwritten, and `services.after_publish` compares them with the new ones
once the revision is live. One path, so one notice per registrant per change
(and raising the capacity in the editor promotes from the waiting list).
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.signals import page_published

from workshops.models import WorkshopPage

BEFORE = "_workshops_live_before"


@receiver(pre_save, sender=WorkshopPage)
def remember_live_values(sender, instance, raw=False, update_fields=None, **kwargs):
    from workshops import services

    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & {*services.ANNOUNCED_FIELDS, "ics_sequence", "capacity"}:
        return
    before = services.live_values(instance.pk)
    if before is None:
        return
    setattr(instance, BEFORE, before)
    # Revisions keep the sequence they were saved with; an older one (a draft
    # saved before a change, a revert) must never take the calendar backwards.
    instance.ics_sequence = max(instance.ics_sequence, before["ics_sequence"])


@receiver(page_published, sender=WorkshopPage)
def announce_published_change(sender, instance, revision=None, **kwargs):
    from workshops import services

    before = instance.__dict__.pop(BEFORE, None)
    if before is None or not instance.live:
        return
    services.after_publish(instance, before, by=getattr(revision, "user", None))
