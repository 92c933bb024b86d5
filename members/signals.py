"""Keep the one invariant a signal is right for: every user has a Member.

Users come from sign-up, `createsuperuser`, the Wagtail admin and social
sign-in; a receiver is the only place that sees them all.
"""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="members_create_member")
def create_member_for_new_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from members.services import ensure_member

        ensure_member(instance)
