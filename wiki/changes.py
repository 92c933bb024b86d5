"""Recent changes across the territory, as MediaWiki's Special:RecentChanges.

One flat query: the RevisionMeta rows with their revision, author and page.
"""

from civic.params import parse_text
from wiki.models import CommunePage, RevisionMeta


def recent_changes(*, place=None, new_pages_only=False):
    """The latest revisions of live wiki pages, newest first; under `place` if given."""
    changes = (
        RevisionMeta.objects.filter(page__live=True)
        .select_related("revision__user__member", "page")
        .defer("revision__content")
        .order_by("-revision_id")
    )
    if place is not None:
        changes = changes.filter(page__path__startswith=place.path, page__depth__gt=place.depth)
    if new_pages_only:
        changes = changes.filter(is_new_page=True)
    return changes


def communes():
    return CommunePage.objects.live().order_by("title")


def commune_from(value):
    """The live commune whose slug is `value`, or None."""
    slug = parse_text(value)
    if slug is None:
        return None
    return CommunePage.objects.live().filter(slug=slug).first()
