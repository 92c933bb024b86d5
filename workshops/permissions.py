"""Who may do what with workshops, built on members.access (verified, moderator)."""

from members.access import is_moderator, is_verified

is_verified_member = is_verified  # the name workshop views and templates use


def can_manage(user, workshop=None):
    """Moderators and staff run invitations and check-in (members.access.is_moderator)."""
    return is_moderator(user)


def can_register(user, workshop):
    """A verified member may sign up to an open workshop; invitees answer through their link or here."""
    return is_verified(user) and not workshop.is_cancelled
