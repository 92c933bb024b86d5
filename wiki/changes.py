"""Recent changes across the territory, as MediaWiki's Special:RecentChanges.

One flat query: the RevisionMeta rows with their revision, author and page.
"""

from wiki import territory
from wiki.models import RevisionMeta


def recent_changes(*, place=None, new_pages_only=False):
    """The latest revisions of live wiki pages, newest first; under `place` if given."""
    changes = (
        RevisionMeta.objects.filter(page__live=True)
        .select_related("revision__user__member", "page")
        .defer("revision__content")
        .order_by("-revision_id")
    )
    if place is not None:
        changes = changes.filter(territory.under(place))
    if new_pages_only:
        changes = changes.filter(is_new_page=True)
    return changes
