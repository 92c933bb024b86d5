"""The territory tree: home > communes > neighbourhoods, and the rules about where a page is.

The page models live in wiki.models; everything about the tree itself is here:
the depth of each level, the communes and neighbourhoods offered in lists, which
commune or neighbourhood a page is in, its breadcrumbs, what lies under a place,
and where a page may be placed.

members sits below wiki and cannot import this module: it takes the commune and
neighbourhood models from its own fields (members.forms.place_models) and
filters by path, as `under` does here.
"""

from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Substr
from wagtail.models import Page

from civic.params import parse_text
from members import visibility
from wiki.models import CommunePage, NeighbourhoodPage, ProjectPage

# Wagtail's root is at depth 1; the territory's home page below it, then communes, then neighbourhoods.
HOME_DEPTH = 2
COMMUNE_DEPTH = 3
NEIGHBOURHOOD_DEPTH = 4


def home():
    """The territory's home page (the first page under Wagtail's root), or None before it exists."""
    return Page.objects.filter(depth=HOME_DEPTH).first()


def communes(home_page=None, user=None):
    """The live communes `user` may see (None: as the public sees them), by title; those under `home_page` if given."""
    queryset = visibility.visible(CommunePage.objects.live(), user)
    if home_page is not None:
        queryset = queryset.child_of(home_page)
    return queryset.order_by("title")


def _count_under(queryset):
    """Subquery on a place: how many rows of `queryset` (pages) lie under it. Zero rather than NULL."""
    counted = (
        queryset.filter(path__startswith=OuterRef("path"), depth__gt=OuterRef("depth"))
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def commune_cards(home_page=None, user=None):
    """The communes of `communes`, each with what residents understand: `population` (a field),
    `neighbourhood_count` and `project_count` (the live ones `user` may see), all in one query."""
    return communes(home_page, user).annotate(
        neighbourhood_count=_count_under(visibility.visible(NeighbourhoodPage.objects.live(), user)),
        project_count=_count_under(visibility.visible(ProjectPage.objects.live(), user)),
    )


def neighbourhood_cards(commune, user=None):
    """The neighbourhoods of `commune` `user` may see, each with its `project_count`, in one query."""
    return neighbourhoods(commune, user).annotate(
        project_count=_count_under(visibility.visible(ProjectPage.objects.live(), user))
    )


def neighbourhoods(commune=None, user=None):
    """The live neighbourhoods `user` may see (None: the public), by title; those of `commune` if given."""
    queryset = visibility.visible(NeighbourhoodPage.objects.live(), user)
    if commune is not None:
        queryset = queryset.child_of(commune)
    return queryset.order_by("title")


def commune_from(slug, user=None):
    """The live commune whose slug is `slug` (a query string's ?commune=) and that `user` may see, or None."""
    slug = parse_text(slug)
    if slug is None:
        return None
    return visibility.visible(CommunePage.objects.live(), user).filter(slug=slug).first()


def commune_of(page):
    """The commune `page` is in (itself if it is one), or None."""
    return CommunePage.objects.ancestor_of(page, inclusive=True).first()


def neighbourhood_of(page):
    """The neighbourhood `page` is in (itself if it is one), or None."""
    return NeighbourhoodPage.objects.ancestor_of(page, inclusive=True).first()


def nearest_place(page):
    """The commune or neighbourhood nearest above `page` (itself included), in one query; None if none."""
    if page is None or not page.pk:
        return None
    return (
        Page.objects.ancestor_of(page, inclusive=True).type(CommunePage, NeighbourhoodPage).order_by("-depth").first()
    )


def breadcrumbs(page):
    """The pages above `page`, from the territory's home down (Wagtail's root left out)."""
    return page.get_ancestors().filter(depth__gt=1)


def under(place, field="page"):
    """Q on a model whose `field` is a page: the page lies under `place` (not `place` itself)."""
    return Q(**{f"{field}__path__startswith": place.path, f"{field}__depth__gt": place.depth})


def commune_title(path_field="page__path"):
    """Subquery: the title of the commune above the page whose path is in `path_field` (to annotate a list)."""
    commune_path = Substr(OuterRef(path_field), 1, COMMUNE_DEPTH * Page.steplen)
    return Page.objects.filter(path=commune_path).values("title")[:1]


def place_choices(page):
    """Where `page` may go: the communes and neighbourhoods (and its current parent), one query.

    Labels read "Lormont › Génicart" so a phone's select shows where each place is.
    """
    current_parent = page.get_parent()
    places = Page.objects.live().filter(
        Q(pk=current_parent.pk) | Q(pk__in=Page.objects.type(CommunePage, NeighbourhoodPage).values("pk"))
    )
    choices, labels = [], {}
    for place in places.order_by("path"):
        if not page.specific_class.can_exist_under(place):
            continue
        commune = labels.get(place.path[: len(place.path) - Page.steplen])
        label = f"{commune} › {place.title}" if commune else place.title
        labels[place.path] = label
        choices.append((place.pk, label))
    return choices


MAP_PROJECTS_LIMIT = 200


def located_projects(place, user=None, limit=MAP_PROJECTS_LIMIT):
    """The newest live projects under `place` that have a location and `user` may see, for a map (one query)."""
    projects = visibility.visible(ProjectPage.objects.live().descendant_of(place), user)
    return (
        projects.filter(latitude__isnull=False, longitude__isnull=False)
        .only("id", "title", "url_path", "path", "depth", "status", "latitude", "longitude")
        .order_by("-first_published_at", "-pk")[:limit]
    )
