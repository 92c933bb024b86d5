"""Recent changes across the territory, as MediaWiki's Special:RecentChanges.

One flat query: the RevisionMeta rows with their revision, author and page.
Private pages the visitor may not see are left out (wiki.visibility).
"""

from wiki import visibility
from wiki.models import CommunePage, RevisionMeta


def recent_changes(*, user, place=None, new_pages_only=False):
    """The latest revisions of the live wiki pages `user` may see, newest first; under `place` if given.

    `user` is the visitor (None or anonymous: the public's view); it is required, so no list forgets it.
    """
    changes = (
        visibility.visible(RevisionMeta.objects.filter(page__live=True), user, "page")
        .select_related("revision__user__member", "page")
        .defer("revision__content")
        .order_by("-revision_id")
    )
    if place is not None:
        changes = changes.filter(page__path__startswith=place.path, page__depth__gt=place.depth)
    if new_pages_only:
        changes = changes.filter(is_new_page=True)
    return changes


def communes(user=None):
    """The live communes `user` may see (None: as the public sees them), by title."""
    return visibility.visible(CommunePage.objects.live(), user).order_by("title")


def commune_from(value, user=None):
    """The live commune whose slug is `value` and that `user` may see (None: the public), or None."""
    if not value:
        return None
    return visibility.visible(CommunePage.objects.live(), user).filter(slug=value).first()
