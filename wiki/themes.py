"""Themes: subjects that cut across the territory (mobility, housing...).

Staff edit the list in the Wagtail admin (Themes); residents give their pages
and projects themes when they write them. The themes are part of every
revision (Wagtail serialises the ParentalManyToManyField), so the wiki treats
a page's theme set like its other facts: the three-way merge, undo, restore
and rollback bring it along, and a diff shows its change. In a content dict
(wiki.services.revision_content) the set is a sorted tuple of theme ids.

Here: that representation, which pages carry a theme (one subquery per page
type, used by the theme pages and the leaderboard's theme filter), and the
public views /themes/ and /themes/<slug>/.
"""

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Length, Substr
from django.http import Http404
from django.template.response import TemplateResponse
from wagtail.models import Page

from civic import collation
from civic.params import parse_id, parse_text
from members import visibility
from wiki.models import ProjectPage, ProjectStatus, Theme, WikiPage

THEME_PAGES_PER_PAGE = 30
THEME_PROJECTS_PER_PAGE = 30
# The page types that carry themes, with the column of their through table naming the page.
THEMED = ((WikiPage, "wikipage_id"), (ProjectPage, "projectpage_id"))


# The theme set of a page ------------------------------------------------------------


def theme_ids(themes):
    """A theme set as the wiki compares it: a sorted tuple of ids (from themes, ids or None)."""
    ids = (parse_id(getattr(theme, "pk", theme)) for theme in themes or ())
    return tuple(sorted({pk for pk in ids if pk is not None}))


def existing_theme_ids(themes):
    """theme_ids() without the themes staff have deleted since (one query, none for an empty set)."""
    ids = theme_ids(themes)
    if not ids:
        return ()
    return tuple(Theme.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def theme_objects(themes):
    """The Theme instances of a set of ids (or themes), by name."""
    ids = theme_ids(themes)
    return list(Theme.objects.filter(pk__in=ids).order_by(*collation.by("name"))) if ids else []


def theme_names(themes):
    """“Culture, Mobilité”: the names of a theme set, for diffs and conflicts ("" when empty)."""
    return ", ".join(theme.name for theme in theme_objects(themes))


def theme_change(page_class, before, after):
    """[{"label", "old", "new"}] for a diff's list of changed facts: the themes, by name, if they changed."""
    if before.get("themes", ()) == after.get("themes", ()):
        return []
    label = page_class._meta.get_field("themes").verbose_name
    return [{"label": label, "old": theme_names(before.get("themes")), "new": theme_names(after.get("themes"))}]


def carrying(theme, field="pk"):
    """Q: the page whose id is in `field` carries `theme` (a subquery on each through table)."""
    condition = Q()
    for page_class, column in THEMED:
        through = page_class.themes.through.objects.filter(theme_id=theme.pk)
        condition |= Q(**{f"{field}__in": through.values(column)})
    return condition


def theme_from(slug):
    """The theme whose slug is `slug`, or None."""
    slug = parse_text(slug)
    if slug is None:
        return None
    return Theme.objects.filter(slug=slug).first()


def project_theme_filter(slug):
    """The theme filter of /projects/: {"themes", "theme", "unknown_theme"} (an unknown slug is said, not applied)."""
    theme = theme_from(slug)
    return {
        "themes": Theme.objects.order_by(*collation.by("name")),
        "theme": theme,
        "unknown_theme": slug if slug and theme is None else None,
    }


# Lists ------------------------------------------------------------------------------


def themes_with_counts(user=None):
    """Every theme with `page_count` and `project_count`: the live pages `user` may see (None: the public)."""

    def live_count(page_class, column):
        through = page_class.themes.through.objects.filter(theme_id=OuterRef("pk"))
        page_field = column.removesuffix("_id")
        counts = (
            visibility.visible(through.filter(**{f"{page_field}__live": True}), user, page_field)
            .order_by()
            .values("theme_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counts, output_field=IntegerField()), 0)

    (wiki, wiki_column), (project, project_column) = THEMED
    return Theme.objects.annotate(
        page_count=live_count(wiki, wiki_column), project_count=live_count(project, project_column)
    ).order_by(*collation.by("name"))


def _place_title():
    """Subquery: the title of the page's parent (its neighbourhood or commune)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    return Subquery(Page.objects.filter(path=parent_path).values("title")[:1])


def theme_pages(theme, *, user, commune=None):
    """The live wiki pages carrying `theme` that `user` may see (under `commune` if given), by title."""
    pages = visibility.visible(WikiPage.objects.live().filter(themes=theme), user)
    if commune is not None:
        pages = pages.descendant_of(commune)
    return pages.annotate(place_title=_place_title()).order_by(*collation.by("title"), "pk")


def theme_projects(theme, *, user, commune=None, status=None):
    """The live projects carrying `theme` that `user` may see, in the order of ProjectStatus then by title."""
    projects = visibility.visible(ProjectPage.objects.live().filter(themes=theme), user)
    if commune is not None:
        projects = projects.descendant_of(commune)
    if status:
        projects = projects.filter(status=status)
    status_order = Case(
        *[When(status=value, then=Value(index)) for index, value in enumerate(ProjectStatus.values)],
        default=Value(len(ProjectStatus.values)),
        output_field=IntegerField(),
    )
    return projects.annotate(place_title=_place_title(), status_order=status_order).order_by(
        "status_order", "title", "pk"
    )


def group_by_status(projects):
    """[(ProjectStatus, [projects])] of a list already in status order."""
    groups = []
    for project in projects:
        status = ProjectStatus(project.status)
        if not groups or groups[-1][0] != status:
            groups.append((status, []))
        groups[-1][1].append(project)
    return groups


# Views ------------------------------------------------------------------------------


def _paginate(request, queryset, param, per_page):
    """(page of results, previous URL, next URL), keeping the other query parameters."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))

    def url(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    return (
        page,
        url(page.previous_page_number()) if page.has_previous() else None,
        url(page.next_page_number()) if page.has_next() else None,
    )


def theme_index(request):
    """`/themes/`: every theme with its numbers of pages and projects."""
    return TemplateResponse(request, "wiki/themes.html", {"themes": themes_with_counts(request.user)})


def theme_detail(request, slug):
    """`/themes/<slug>/`: the theme's projects (by status) and wiki pages, filterable by commune and status."""
    from wiki.forms import ThemeFilterForm  # wiki.forms imports wiki.services, which imports this module

    theme = theme_from(slug)
    if theme is None:
        raise Http404
    form = ThemeFilterForm(request.GET)
    context = {"theme": theme, "form": form}
    if not form.is_valid():
        return TemplateResponse(request, "wiki/theme.html", context, status=400)
    commune, status = form.cleaned_data["commune"], form.cleaned_data["status"]
    projects, projects_previous, projects_next = _paginate(
        request,
        theme_projects(theme, user=request.user, commune=commune, status=status),
        "projects_page",
        THEME_PROJECTS_PER_PAGE,
    )
    pages, pages_previous, pages_next = _paginate(
        request, theme_pages(theme, user=request.user, commune=commune), "pages_page", THEME_PAGES_PER_PAGE
    )
    context.update(
        commune=commune,
        status=ProjectStatus(status) if status else None,
        projects=projects,
        project_groups=group_by_status(projects.object_list),
        projects_previous=projects_previous,
        projects_next=projects_next,
        pages=pages,
        pages_previous=pages_previous,
        pages_next=pages_next,
    )
    return TemplateResponse(request, "wiki/theme.html", context)


class ThemeProvider:
    """The wiki's themes as members.themes asks for them (members imports no wiki)."""

    def themes(self):
        return Theme.objects.order_by(*collation.by("name"))

    def get(self, pk):
        return Theme.objects.filter(pk=pk).first()

    def carrying(self, theme, field="pk"):
        return carrying(theme, field)
