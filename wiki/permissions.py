"""Who may do what on the wiki: predicates used by views, templates and tests alike.

Built on members.access, which says who is verified, a contributor (verified
and not blocked), a moderator or staff. Moderators and staff may also roll
back. Answers are cached on the user object for the request.

A wiki page's `protection` narrows who may edit it (and create pages under it):
OPEN, any contributor; SEMI, trusted contributors (account old enough and
enough edits, thresholds in Settings > Wiki) plus moderators and staff; STAFF,
staff only (moderators can still roll it back: `can_rollback_on`).
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site

# Who is verified, a contributor, a moderator or staff is decided in members.access;
# these names stay importable from here for the wiki's callers.
from members.access import (  # noqa: F401 - re-exported
    cached,
    can_access_admin,
    is_contributor,
    is_moderator,
    is_staff_member,
    is_verified,
)

# Trust (semi-protected pages) ------------------------------------------------------------


def wiki_settings():
    """The WikiSettings of the default site (defaults when there is no site yet)."""
    from wiki.models import WikiSettings

    site = Site.objects.filter(is_default_site=True).first()
    return WikiSettings.for_site(site) if site else WikiSettings()


def _settings(user):
    return cached(user, "wiki_settings", wiki_settings)


def edit_count(user):
    """How many revisions of wiki pages `user` authored that were not reverted (counted in the database)."""
    from wiki.models import RevisionMeta

    return cached(user, "edit_count", lambda: RevisionMeta.objects.filter(revision__user=user, reverted=False).count())


def trusted_from(user):
    """The moment `user`'s account is old enough to be trusted."""
    return user.date_joined + timedelta(days=_settings(user).trusted_min_account_days)


def is_trusted(user):
    """A contributor whose account is old enough and who made enough edits; moderators and staff always are."""
    if not is_contributor(user):
        return False
    if is_moderator(user):
        return True
    if trusted_from(user) > timezone.now():
        return False
    return edit_count(user) >= _settings(user).trusted_min_edits


def meets_protection(user, protection):
    from wiki.models import Protection

    if protection == Protection.OPEN:
        return True
    if protection == Protection.SEMI:
        return is_trusted(user)
    return is_staff_member(user)  # STAFF, or an unknown value: the strictest reading


def _protection_reason(user, protection, *, creating):
    """Why the protection `protection` keeps a contributor out, in words."""
    from wiki.models import Protection

    if protection != Protection.SEMI:
        if creating:
            return _("This page is protected: only staff can create pages under it.")
        return _("This page is protected: only staff can edit it.")
    settings = _settings(user)
    days = settings.trusted_min_account_days
    edits = settings.trusted_min_edits
    values = {
        "days": ngettext("%(count)d day", "%(count)d days", days) % {"count": days},
        "edits": ngettext("%(count)d edit", "%(count)d edits", edits) % {"count": edits},
    }
    if creating:
        reason = _(
            "This page is semi-protected: members can create pages under it once their account is "
            "%(days)s old and they made %(edits)s."
        )
    else:
        reason = _(
            "This page is semi-protected: members can edit it once their account is %(days)s old "
            "and they made %(edits)s."
        )
    parts = [reason % values]
    count = edit_count(user)
    if count < edits:
        parts.append(
            ngettext("You have made %(count)d edit.", "You have made %(count)d edits.", count) % {"count": count}
        )
    ready = trusted_from(user)
    if ready > timezone.now():
        parts.append(
            _("Your account reaches that age on %(date)s.")
            % {"date": date_format(timezone.localtime(ready), "DATETIME_FORMAT")}
        )
    return " ".join(parts)


def _is_wiki_page(page):
    from wiki.models import MarkdownPage

    return isinstance(page, MarkdownPage)


def can_follow(user, page):
    """May `user` follow `page` (get its changes by email)? Any verified member, blocked or not."""
    return _is_wiki_page(page) and page.live and is_verified(user)


def can_edit(user, page):
    """May `user` edit `page` (and undo or restore its revisions)? Honours the page's protection."""
    return _is_wiki_page(page) and page.live and is_contributor(user) and meets_protection(user, page.protection)


def why_cannot_edit(user, page):
    """Why `user` may not edit `page`, in words (None when they may).

    Signing in, a missing email confirmation and a block are explained by the
    view (wiki.views._refuse); this says what the page itself asks for.
    """
    if can_edit(user, page):
        return None
    if not _is_wiki_page(page) or not page.live:
        return _("This page cannot be edited here.")
    if not is_contributor(user):
        return _("You are not allowed to do this.")
    return _protection_reason(user, page.protection, creating=False)


def why_cannot_create(user, parent):
    """Why `user` may not create a page under `parent`, in words (None when they may)."""
    if type(parent) is Page:
        parent = parent.specific
    if can_create(user, parent):
        return None
    if _is_wiki_page(parent) and parent.live and is_contributor(user):
        return _protection_reason(user, parent.protection, creating=True)
    return _("You are not allowed to do this.")


def can_create(user, parent):
    """May `user` create a wiki page or a project under `parent`?"""
    from wiki.models import ProjectPage, WikiPage

    if type(parent) is Page:
        parent = parent.specific
    accepts = WikiPage.can_create_at(parent) or ProjectPage.can_create_at(parent)
    if not (accepts and parent.live and is_contributor(user)):
        return False
    # Under a protected page, creating asks for the same level as editing it.
    return not _is_wiki_page(parent) or meets_protection(user, parent.protection)


def can_rollback_on(user, page):
    """May `user` roll back the last edits of `page`? Moderators, on any live wiki page, protected or not."""
    return can_rollback(user) and _is_wiki_page(page) and page.live and is_contributor(user)


def can_rollback(user):
    """May `user` roll back all the last edits of one member in one click?"""
    return is_verified(user) and is_moderator(user)


def can_patrol(user):
    """May `user` mark edits as patrolled (checked) and revert them from the patrol queue? Moderators and staff."""
    return is_moderator(user)


def can_hide(user):
    """May `user` hide the content of a revision from the public, and see hidden content? Moderators and staff."""
    return is_moderator(user)
