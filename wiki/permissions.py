"""Who may do what on the wiki: predicates used by views, templates and tests alike.

A contributor is an active user with a verified email address (allauth) whose
member is not blocked (members.Block).
Moderators (group "Moderators") and staff (group "Staff" or `is_staff`) may
also roll back. Answers are cached on the user object for the request.
"""

from allauth.account.models import EmailAddress
from wagtail.models import Page

from members.roles import MODERATORS, STAFF


def _cached(user, name, compute):
    cache = user.__dict__.setdefault("_wiki_permission_cache", {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def is_verified(user):
    """An active, signed-in user whose email address is verified."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return _cached(user, "verified", lambda: EmailAddress.objects.filter(user=user, verified=True).exists())


def is_contributor(user):
    """A verified user whose member is not blocked from contributing right now."""
    if not is_verified(user):
        return False
    return _cached(user, "unblocked", lambda: not user.member.is_blocked())


def is_moderator(user):
    """A moderator or a member of staff."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return _cached(user, "moderator", lambda: user.groups.filter(name__in=[MODERATORS, STAFF]).exists())


def _is_wiki_page(page):
    from wiki.models import MarkdownPage

    return isinstance(page, MarkdownPage)


def can_follow(user, page):
    """May `user` follow `page` (get its changes by email)? Any verified member, blocked or not."""
    return _is_wiki_page(page) and page.live and is_verified(user)


def can_edit(user, page):
    """May `user` edit `page` (and undo or restore its revisions)?"""
    return _is_wiki_page(page) and page.live and is_contributor(user)


def can_create(user, parent):
    """May `user` create a wiki page or a project under `parent`?"""
    from wiki.models import ProjectPage, WikiPage

    if type(parent) is Page:
        parent = parent.specific
    accepts = WikiPage.can_create_at(parent) or ProjectPage.can_create_at(parent)
    return accepts and parent.live and is_contributor(user)


def can_rollback(user):
    """May `user` roll back all the last edits of one member in one click?"""
    return is_verified(user) and is_moderator(user)


def can_patrol(user):
    """May `user` mark edits as patrolled (checked) and revert them from the patrol queue? Moderators and staff."""
    return is_moderator(user)


def can_hide(user):
    """May `user` hide the content of a revision from the public, and see hidden content? Moderators and staff."""
    return is_moderator(user)
