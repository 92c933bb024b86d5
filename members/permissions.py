"""Who may do what in the members app: predicates used by views, menus and tests."""

from members.roles import ADMIN_GROUPS


def can_view_engagement_report(user):
    """Staff and moderators see the "Most engaged residents" report."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=ADMIN_GROUPS).exists()


def can_invite_from_report(user):
    """Those who see the report and run workshop invitations may invite from it."""
    from workshops.permissions import can_manage

    return can_view_engagement_report(user) and can_manage(user)
