"""Who may do what: the one module that answers every "who" question of Quartiers.

Each rule is a predicate on a user and, where a list needs it, its query twin:
a `Q` over users (`path=""`) or over any model that reaches a user through
`path` (`"user"` for members), as Wagtail's permission policies pair
`user_has_permission` with `users_with_any_permission`. tests/members/test_access.py
runs every predicate and its twin over the same cases on SQLite and PostgreSQL.

- signed in: an active, authenticated user;
- verified: signed in, with a verified email address (allauth);
- blocked: their member has a block in force (`Block.objects.in_force`);
- muted: their member has a mute in force (`Mute.objects.in_force`): they read, edit their profile
  and appeal, but post nothing;
- warned: their member has a warning they have not acknowledged yet (on /me/);
- contributor: verified, not blocked, not muted and not warned: may post (comments, wiki edits, new
  pages; `why_cannot_post` says why not, in words);
- moderator: signed in and `is_staff`, a superuser, or in the Moderators, Senior moderators or Staff group;
- senior moderator: signed in and staff, or in the Senior moderators group;
- staff: signed in and `is_staff`, a superuser, or in the Staff group.

App rules (a wiki page's protection and trust, workshop registration) live
in their app and are built on these.

A signed-in page asks several of these questions about the same user: the
answers come from one statement (`facts`), read once per request and kept on
the user object; the test above proves it says what the query twins say.
"""

import functools

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from members.models import Block, Member, Mute, Warning
from members.roles import ADMIN_GROUPS, MODERATORS, SENIOR_MODERATORS, STAFF

CACHE_ATTRIBUTE = "_access_cache"


def cached(user, name, compute):
    """`compute()` once per user object (so once per request for `request.user`)."""
    cache = user.__dict__.setdefault(CACHE_ATTRIBUTE, {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


# The facts of one signed-in user, in one statement -----------------------------------------


@functools.cache
def _facts_sql(vendor):
    """The member and the facts about them as one statement, written once per process.

    Built with the ORM (eight EXISTS subqueries) this statement took twice as
    long to compile as to run, on every signed-in request. Table names come
    from the models; the statement is plain SQL that SQLite and PostgreSQL
    share. Each fact says what its query twin below says (tests/members/test_access.py).
    """
    user_model = get_user_model()
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    user_groups = table(user_model.groups.through)
    columns = ", ".join(f"m.{quote(field.column)}" for field in Member._meta.concrete_fields)
    return f"""
        SELECT {columns},
          -- verified_q
          EXISTS (SELECT 1 FROM {table(EmailAddress)} e WHERE e.user_id = m.user_id AND e.verified) AS fact_verified,
          -- blocked_q: Block.objects.in_force(at)
          EXISTS (SELECT 1 FROM {table(Block)} b WHERE b.member_id = m.id AND b.starts_at <= %s
                  AND (b.ends_at IS NULL OR b.ends_at > %s)) AS fact_blocked,
          -- muted_q: Mute.objects.in_force(at)
          EXISTS (SELECT 1 FROM {table(Mute)} mu WHERE mu.member_id = m.id AND mu.starts_at <= %s
                  AND mu.ends_at > %s) AS fact_muted,
          -- warned_q: a warning not acknowledged
          EXISTS (SELECT 1 FROM {table(Warning)} w WHERE w.member_id = m.id
                  AND w.acknowledged_at IS NULL) AS fact_warned,
          EXISTS (SELECT 1 FROM {user_groups} ug JOIN {table(Group)} g ON g.id = ug.group_id
                  WHERE ug.user_id = m.user_id AND g.name = %s) AS fact_moderators,
          EXISTS (SELECT 1 FROM {user_groups} ug JOIN {table(Group)} g ON g.id = ug.group_id
                  WHERE ug.user_id = m.user_id AND g.name = %s) AS fact_senior_moderators,
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


def load_facts(user, at=None):
    """{verified, blocked, muted, warned, admin_groups, admin_access} of `user` at `at` (default: now), in one query."""
    moment = connection.ops.adapt_datetimefield_value(at or timezone.now())
    params = [moment] * 4 + [MODERATORS, SENIOR_MODERATORS, STAFF, "wagtailadmin", "access_admin", user.pk]
    member = next(iter(Member.objects.raw(_facts_sql(connection.vendor), params)), None)
    if member is None:  # a user made outside sign-up, before ensure_member gave them a member
        return {
            "verified": EmailAddress.objects.filter(user=user, verified=True).exists(),
            "blocked": False,
            "muted": False,
            "warned": False,
            "admin_groups": set(user.groups.filter(name__in=ADMIN_GROUPS).values_list("name", flat=True)),
            "admin_access": user.has_perm("wagtailadmin.access_admin"),
        }
    if at is None:
        get_user_model().member.related.set_cached_value(user, member)  # user.member without another query
    groups = (
        (MODERATORS, member.fact_moderators),
        (SENIOR_MODERATORS, member.fact_senior_moderators),
        (STAFF, member.fact_staff),
    )
    return {
        "verified": bool(member.fact_verified),  # SQLite answers 0 or 1
        "blocked": bool(member.fact_blocked),
        "muted": bool(member.fact_muted),
        "warned": bool(member.fact_warned),
        "admin_groups": {name for name, flag in groups if flag},
        "admin_access": bool(member.fact_admin_access),
    }


def facts(user):
    """The facts of `user` now, read once per user object."""
    return cached(user, "facts", lambda: load_facts(user))


# Predicates ------------------------------------------------------------------------------


def is_signed_in(user):
    """An authenticated, active user."""
    return user is not None and user.is_authenticated and user.is_active


def is_verified(user):
    """Signed in, with a verified email address."""
    return is_signed_in(user) and facts(user)["verified"]


def is_blocked(user, at=None):
    """Has `user`'s member a block in force at `at` (default: now)?"""
    if user is None or not user.is_authenticated:
        return False
    if at is None:
        return facts(user)["blocked"]
    return Block.objects.in_force(at).filter(member__user=user).exists()


def is_muted(user, at=None):
    """Has `user`'s member a mute in force at `at` (default: now)?"""
    if user is None or not user.is_authenticated:
        return False
    if at is None:
        return facts(user)["muted"]
    return Mute.objects.in_force(at).filter(member__user=user).exists()


def is_warned(user):
    """Has `user`'s member a warning they have not acknowledged yet?"""
    if user is None or not user.is_authenticated:
        return False
    return facts(user)["warned"]


def is_contributor(user):
    """Verified, not blocked, not muted, no warning left to acknowledge: may post (comments, wiki pages...)."""
    return is_verified(user) and not (is_blocked(user) or is_muted(user) or is_warned(user))


def why_cannot_post(user):
    """Why `user` may not post anything now (a comment, an edit, a new page), in words; None when they may.

    Every way of posting asks `is_contributor`; this says why it answered no.
    """
    if not is_signed_in(user):
        return gettext("Sign in to take part.")
    if not is_verified(user):
        return gettext("Confirm your email address before you contribute: follow the link we sent you.")
    if is_blocked(user):
        block = block_in_force(user)
        if block is not None and block.ends_at is not None:
            return gettext("A moderator blocked your account until %(end)s: you cannot post.") % {
                "end": _when(block.ends_at)
            }
        return gettext("A moderator blocked your account: you cannot post until the block is lifted.")
    if is_muted(user):
        mute = mute_in_force(user)
        return gettext(
            "A moderator muted your account until %(end)s: you can read and edit your profile, but not post. "
            "Your profile page says why and how to contest it."
        ) % {"end": _when(mute.ends_at) if mute is not None else "?"}
    if is_warned(user):
        return gettext(
            "A moderator sent you a warning: read it and acknowledge it on your profile page before you post again."
        )
    return None


def _when(moment):
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def is_moderator(user):
    """Signed in and a moderator: `is_staff`, a superuser, or in the Moderators or Staff group."""
    if not is_signed_in(user):
        return False
    return user.is_staff or user.is_superuser or bool(facts(user)["admin_groups"])


def is_staff_member(user):
    """Signed in and staff: `is_staff`, a superuser or in the Staff group."""
    if not is_signed_in(user):
        return False
    return user.is_staff or user.is_superuser or STAFF in facts(user)["admin_groups"]


def is_senior_moderator(user):
    """Signed in and of the senior tier: in the Senior moderators group, or staff."""
    if not is_signed_in(user):
        return False
    return is_staff_member(user) or SENIOR_MODERATORS in facts(user)["admin_groups"]


def can_access_admin(user):
    """May `user` open the Wagtail admin (to show the link to it)?"""
    return is_signed_in(user) and (user.is_superuser or facts(user)["admin_access"])


def block_in_force(user, at=None):
    """The block a member is told about (reason and end) at `at`: of those in force, the one ending last."""
    if user is None or not user.is_authenticated:
        return None
    member = getattr(user, "member", None)  # a user made outside sign-up may have none yet
    return member.current_block(at) if member is not None else None


def mute_in_force(user, at=None):
    """The mute a member is told about at `at`: of those in force, the one ending last."""
    if user is None or not user.is_authenticated:
        return None
    return Mute.objects.in_force(at).filter(member__user=user).order_by("-ends_at", "-pk").first()


# Rules of the members app -----------------------------------------------------------------


def can_view_engagement_report(user):
    """Moderators (staff included) see the "Most engaged residents" report and manage blocks."""
    return is_moderator(user)


def can_invite_from_report(user):
    """Moderators (staff included) invite residents to workshops from the report."""
    return is_moderator(user)


def can_sanction(user):
    """May `user` warn, mute and block members, and review appeals of those sanctions?

    Senior moderators and staff; any moderator when staff allow it in
    Settings > Moderation (`moderators_may_sanction`).
    """
    if is_senior_moderator(user):
        return True
    if not is_moderator(user):
        return False
    from members.moderation import moderation_settings

    return cached(user, "moderators_may_sanction", lambda: moderation_settings().moderators_may_sanction)


def can_read_moderation_log(user):
    """Moderators (staff included) read the moderation log: they review each other's decisions and appeals."""
    return is_moderator(user)


# Query twins -----------------------------------------------------------------------------


def _field(path, name):
    return f"{path}__{name}" if path else name


def _user_ref(path):
    return OuterRef(f"{path}_id" if path else "pk")


def _in_groups(path, names):
    memberships = get_user_model().groups.through.objects.filter(user_id=_user_ref(path), group__name__in=names)
    return Exists(memberships)


def signed_in_q(path=""):
    """Q: `is_signed_in`, over users (`path=""`) or what reaches a user through `path` ("user" for members)."""
    return Q(**{_field(path, "is_active"): True})


def verified_q(path=""):
    """Q: `is_verified`."""
    return signed_in_q(path) & Q(Exists(EmailAddress.objects.filter(user_id=_user_ref(path), verified=True)))


def blocked_q(path="", at=None):
    """Q: `is_blocked` at `at` (default: now)."""
    return Q(Exists(Block.objects.in_force(at).filter(member__user_id=_user_ref(path))))


def muted_q(path="", at=None):
    """Q: `is_muted` at `at` (default: now)."""
    return Q(Exists(Mute.objects.in_force(at).filter(member__user_id=_user_ref(path))))


def warned_q(path=""):
    """Q: `is_warned`."""
    return Q(Exists(Warning.objects.filter(member__user_id=_user_ref(path), acknowledged_at__isnull=True)))


def contributor_q(path="", at=None):
    """Q: `is_contributor` (at `at`, default now)."""
    return verified_q(path) & ~blocked_q(path, at) & ~muted_q(path, at) & ~warned_q(path)


def moderator_q(path=""):
    """Q: `is_moderator`."""
    roles = Q(**{_field(path, "is_staff"): True}) | Q(**{_field(path, "is_superuser"): True})
    return signed_in_q(path) & (roles | Q(_in_groups(path, ADMIN_GROUPS)))


def senior_moderator_q(path=""):
    """Q: `is_senior_moderator`."""
    return staff_q(path) | (signed_in_q(path) & Q(_in_groups(path, [SENIOR_MODERATORS])))


def sanction_q(path=""):
    """Q: `can_sanction` (reads Settings > Moderation once: whether moderators may sanction too)."""
    from members.moderation import moderation_settings

    if moderation_settings().moderators_may_sanction:
        return moderator_q(path)
    return senior_moderator_q(path)


def staff_q(path=""):
    """Q: `is_staff_member`."""
    roles = Q(**{_field(path, "is_staff"): True}) | Q(**{_field(path, "is_superuser"): True})
    return signed_in_q(path) & (roles | Q(_in_groups(path, [STAFF])))


def users(q):
    """The users a query twin keeps: `users(moderator_q())`."""
    return get_user_model().objects.filter(q)


# Who may block whom ---------------------------------------------------------------------
# A moderator blocks residents; staff block residents and moderators; only a
# superuser blocks staff. Nobody blocks themselves. Built on the predicates above.


def blockable_members(actor, members):
    """The members of the `members` queryset that `actor` may block (query twin of `why_cannot_block`)."""
    members = members.exclude(user_id=actor.pk)
    if actor.is_superuser:
        return members
    return members.exclude(staff_q("user") if is_staff_member(actor) else moderator_q("user"))


def why_cannot_block(actor, member):
    """Why `actor` may not block `member`, in words (None when they may)."""
    user = member.user
    if user.pk == actor.pk:
        return gettext("You cannot block yourself.")
    if actor.is_superuser:
        return None
    if is_staff_member(user):
        return gettext("%(member)s is a member of staff: only an administrator can block them.") % {"member": member}
    if not is_staff_member(actor) and is_moderator(user):
        return gettext("%(member)s is a moderator: only staff can block them.") % {"member": member}
    return None


def why_cannot_sanction(actor, member):
    """Why `actor` may not warn, mute or block `member`, in words (None when they may).

    The tier first (`can_sanction`), then the rule of blocks: nobody sanctions
    themselves, only a superuser sanctions staff, only staff sanction moderators.
    """
    if not can_sanction(actor):
        return gettext("Only senior moderators and staff warn, mute and block members.")
    return why_cannot_block(actor, member)
