"""Recent changes across the territory, as MediaWiki's Special:RecentChanges.

One flat query: the RevisionMeta rows with their revision, author and page.
Private pages the visitor may not see are left out (members.visibility).
"""

from members import visibility
from wiki import territory
from wiki.models import RevisionMeta


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
        changes = changes.filter(territory.under(place))
    if new_pages_only:
        changes = changes.filter(is_new_page=True)
    return changes
