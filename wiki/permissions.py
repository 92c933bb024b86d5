"""Who may do what on the wiki: predicates used by views, templates and tests alike.

A contributor is an active user with a verified email address (allauth) whose
member is not blocked (members.Block).
Moderators (group "Moderators") and staff (group "Staff" or `is_staff`) may
also roll back. Answers are cached on the user object for the request.

A wiki page's `protection` narrows who may edit it (and create pages under it):
OPEN, any contributor; SEMI, trusted contributors (account old enough and
enough edits, thresholds in Settings > Wiki) plus moderators and staff; STAFF,
staff only (moderators can still roll it back: `can_rollback_on`).
"""

import functools
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site

from members.roles import MODERATORS, STAFF


def _cached(user, name, compute):
    cache = user.__dict__.setdefault("_wiki_permission_cache", {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def _facts(user):
    """What the predicates need to know of a signed-in user, in one query per request.

    Whether the email is verified, whether a block is in force, the admin
    groups and the Wagtail admin permission are read with the member (who is
    shown on every page), so a signed-in page pays one query for all of them.
    """
    return _cached(user, "facts", lambda: _load_facts(user))


@functools.cache
def _facts_sql(vendor):
    """The member and the facts about them as one statement, written once per process.

    Built with the ORM (five EXISTS subqueries) this statement took twice as
    long to compile as to run, on every signed-in request. Table names come
    from the models; the statement is plain SQL that SQLite and PostgreSQL share.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from members.models import Block, Member

    user_model = get_user_model()
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    user_groups = table(user_model.groups.through)
    columns = ", ".join(f"m.{quote(field.column)}" for field in Member._meta.concrete_fields)
    return f"""
        SELECT {columns},
          EXISTS (SELECT 1 FROM {table(EmailAddress)} e WHERE e.user_id = m.user_id AND e.verified) AS fact_verified,
          -- a block in force, as Member.is_blocked() says
          EXISTS (SELECT 1 FROM {table(Block)} b WHERE b.member_id = m.id AND b.starts_at <= %s
                  AND (b.ends_at IS NULL OR b.ends_at > %s)) AS fact_blocked,
          EXISTS (SELECT 1 FROM {user_groups} ug JOIN {table(Group)} g ON g.id = ug.group_id
                  WHERE ug.user_id = m.user_id AND g.name = %s) AS fact_moderators,
          EXISTS (SELECT 1 FROM {user_groups} ug JOIN {table(Group)} g ON g.id = ug.group_id
                  WHERE ug.user_id = m.user_id AND g.name = %s) AS fact_staff,
          EXISTS (SELECT 1 FROM {table(Permission)} p JOIN {table(ContentType)} ct ON ct.id = p.content_type_id
                  WHERE ct.app_label = %s AND p.codename = %s AND (
                    EXISTS (SELECT 1 FROM {table(user_model.user_permissions.through)} up
                            WHERE up.permission_id = p.id AND up.user_id = m.user_id)
                    OR EXISTS (SELECT 1 FROM {table(Group.permissions.through)} gp
                               JOIN {user_groups} ugp ON ugp.group_id = gp.group_id
                               WHERE gp.permission_id = p.id AND ugp.user_id = m.user_id))) AS fact_admin_access
        FROM {table(Member)} m WHERE m.user_id = %s
    """


def _load_facts(user):
    from django.contrib.auth import get_user_model

    from members.models import Member

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [now, now, MODERATORS, STAFF, "wagtailadmin", "access_admin", user.pk]
    member = next(iter(Member.objects.raw(_facts_sql(connection.vendor), params)), None)
    if member is None:  # a user made outside sign-up, before ensure_member gave them a member
        return {
            "verified": EmailAddress.objects.filter(user=user, verified=True).exists(),
            "blocked": False,
            "admin_groups": set(user.groups.filter(name__in=[MODERATORS, STAFF]).values_list("name", flat=True)),
            "admin_access": user.has_perm("wagtailadmin.access_admin"),
        }
    get_user_model().member.related.set_cached_value(user, member)  # user.member without another query
    groups = ((MODERATORS, member.fact_moderators), (STAFF, member.fact_staff))
    return {
        "verified": bool(member.fact_verified),  # SQLite answers 0 or 1
        "blocked": bool(member.fact_blocked),
        "admin_groups": {name for name, flag in groups if flag},
        "admin_access": bool(member.fact_admin_access),
    }


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def is_verified(user):
    """An active, signed-in user whose email address is verified."""
    return _signed_in(user) and _facts(user)["verified"]


def is_contributor(user):
    """A verified user whose member is not blocked from contributing right now."""
    return is_verified(user) and not _facts(user)["blocked"]


def _admin_groups(user):
    """The names of the Moderators and Staff groups `user` belongs to."""
    return _facts(user)["admin_groups"]


def can_access_admin(user):
    """May `user` open the Wagtail admin (to show the link to it)?"""
    return _signed_in(user) and (user.is_superuser or _facts(user)["admin_access"])


def is_moderator(user):
    """A moderator or a member of staff."""
    if not _signed_in(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(_admin_groups(user))


def is_staff_member(user):
    """Staff: `is_staff`, a superuser or a member of the Staff group."""
    if not _signed_in(user):
        return False
    return user.is_staff or user.is_superuser or STAFF in _admin_groups(user)


# Trust (semi-protected pages) ------------------------------------------------------------


def wiki_settings():
    """The WikiSettings of the default site (defaults when there is no site yet)."""
    from wiki.models import WikiSettings

    site = Site.objects.filter(is_default_site=True).first()
    return WikiSettings.for_site(site) if site else WikiSettings()


def _settings(user):
    return _cached(user, "wiki_settings", wiki_settings)


def edit_count(user):
    """How many revisions of wiki pages `user` authored that were not reverted (counted in the database)."""
    from wiki.models import RevisionMeta

    return _cached(user, "edit_count", lambda: RevisionMeta.objects.filter(revision__user=user, reverted=False).count())


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


def _meets_protection(user, protection):
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
    return _is_wiki_page(page) and page.live and is_contributor(user) and _meets_protection(user, page.protection)


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
    return not _is_wiki_page(parent) or _meets_protection(user, parent.protection)


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
