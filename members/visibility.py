"""Which pages a visitor may see in a list: one rule, applied to every list, feed, search and digest.

Staff make a page private in the Wagtail admin (Privacy: a Wagtail
`PageViewRestriction` on the page, which covers its subpages too). Wagtail
refuses such a page itself to whoever does not pass the restriction; these
functions keep its title, summary and excerpt out of the lists as well:

- "login": passed by any signed-in, active member;
- "groups": passed by the members of one of its groups, and by superusers (as Wagtail serves them);
- "password": never passed in a list (the password opens one page in one browser session).

`visible(queryset, user, page_field=...)` filters any queryset whose rows lead
to a page, inside that query (a NOT EXISTS over the restrictions: no query of
its own). Wagtail's search takes no subquery: `visible_in_search` reads the
restrictions the visitor does not pass (one query) and tests path prefixes.
`hidden_from_follower()` is the same rule for a query over many members at
once (the follow digests).
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import BaseViewRestriction, PageViewRestriction

from members.access import is_signed_in

LOGIN = BaseViewRestriction.LOGIN
GROUPS = BaseViewRestriction.GROUPS


def _not_passed(*, signed_in, user_ref=None, superuser=False):
    """The restrictions a visitor does not pass (a queryset of PageViewRestriction).

    `user_ref` names the signed-in user as seen from inside a subquery of the
    restrictions (a primary key or an OuterRef); `superuser` is a bool, or an
    Exists saying whether that user is a superuser.
    """
    restrictions = PageViewRestriction.objects.all()
    if not signed_in:
        return restrictions
    restrictions = restrictions.exclude(restriction_type=LOGIN)
    if superuser is True:
        return restrictions.exclude(restriction_type=GROUPS)
    in_a_group = Exists(
        PageViewRestriction.groups.through.objects.filter(pageviewrestriction_id=OuterRef("pk"), group__user=user_ref)
    )
    passes_groups = in_a_group if superuser is False else (in_a_group | superuser)
    return restrictions.exclude(Q(restriction_type=GROUPS) & passes_groups)


def _outermost(paths):
    """The paths not under another one of the list (a page under two restrictions needs one test)."""
    kept = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def hidden_paths(user):
    """The tree paths under which `user` (None: an anonymous visitor) may see no page (one query per request)."""

    def compute():
        return _outermost(_not_passed_by(user).values_list("page__path", flat=True))

    if user is None:
        return compute()
    cache = user.__dict__.setdefault("_wiki_visibility_cache", {})
    if "hidden_paths" not in cache:
        cache["hidden_paths"] = compute()
    return cache["hidden_paths"]


def _under(restrictions, path):
    """Those of `restrictions` on the page at `path` or on one of its ancestors (their path is a prefix of it)."""
    return restrictions.filter(page__path=Substr(path, 1, Length("page__path")))


def _not_passed_by(user):
    signed_in = is_signed_in(user)
    return _not_passed(
        signed_in=signed_in, user_ref=user.pk if signed_in else None, superuser=signed_in and user.is_superuser
    )


def hidden(user, page_field=""):
    """Exists: the row's page is one `user` (None: an anonymous visitor) may not see.

    `page_field` leads from a row to its page: "" for pages, "page" for
    RevisionMeta and PageFollow, "source" for PageLink...
    """
    prefix = f"{page_field}__" if page_field else ""
    return Exists(_under(_not_passed_by(user), OuterRef(f"{prefix}path")))


def visible(queryset, user, page_field=""):
    """`queryset` without the rows whose page `user` may not see (in the same query)."""
    return queryset.exclude(hidden(user, page_field))


def visible_in_search(pages, user):
    """The pages `user` may see, in a form Wagtail's search backends accept (path prefixes; one query)."""
    condition = Q()
    for path in hidden_paths(user):
        condition |= Q(path__startswith=path)
    return pages.exclude(condition) if condition else pages


def can_see(user, page):
    """May `user` see `page` in a list (its title, its summary)? The rule of `visible`, for a page at hand."""
    return not any(page.path.startswith(path) for path in hidden_paths(user))


def hidden_from_follower(user_field="user_id", path_field="page__path"):
    """Exists: the row's page is under a restriction its member does not pass, for a query over many members.

    Members who follow pages are signed in; the rule is `_not_passed`'s, with the
    member taken from each row (`user_field`) instead of from the request.
    """
    member = OuterRef(OuterRef(user_field))
    superuser = Exists(get_user_model().objects.filter(pk=member, is_superuser=True))
    return Exists(_under(_not_passed(signed_in=True, user_ref=member, superuser=superuser), OuterRef(path_field)))
