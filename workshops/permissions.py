"""Who may do what with workshops: predicates used by views, templates and tests."""

from allauth.account.models import EmailAddress

from members.roles import MODERATORS, STAFF


def is_verified_member(user):
    if not user or not user.is_authenticated:
        return False
    cached = getattr(user, "_workshops_verified", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._workshops_verified = cached
    return cached


def can_manage(user, workshop=None):
    """Staff and moderators run invitations and check-in."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    cached = getattr(user, "_workshops_manager", None)
    if cached is None:
        cached = user.groups.filter(name__in=[STAFF, MODERATORS]).exists()
        user._workshops_manager = cached
    return cached


def can_register(user, workshop):
    """A verified member may sign up to an open workshop; invitees answer through their link or here."""
    return is_verified_member(user) and not workshop.is_cancelled
