"""The territory tree and its wiki.

Home (the territory) > communes > neighbourhoods, and under communes and
neighbourhoods the pages residents write: `WikiPage` (an article) and
`ProjectPage` (a neighbourhood project). Both keep their Markdown source in
`body`; the HTML comes from wiki.markup and every saved revision gets a
`RevisionMeta` (summary, size, reverted...).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, Revision
from wagtail.models.revisions import RevisionQuerySet
from wagtail.search import index

from wiki.admin_pages import MarkdownPageForm, ProtectedPagePermissionTester

BODY_MAX_LENGTH = 100_000
SUMMARY_MAX_LENGTH = 255
# Child slugs these would shadow the page actions served by RoutablePageMixin.
RESERVED_SLUGS = frozenset(
    {"edit", "new", "history", "diff", "changes", "undo", "restore", "rollback", "rename", "move", "follow"}
)


class TerritoryPage(Page):
    """Shared behaviour of the territory's page types.

    Wagtail's admin never offers a page type where it does not belong; `clean`
    also refuses it for code paths that bypass the admin (imports, scripts).
    """

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from wiki import territory

        context["ancestors"] = territory.breadcrumbs(self)
        return context

    def clean(self):
        super().clean()
        if self.pk:  # placed already: moves are checked by wiki.services.move_page
            return
        parent = self.get_parent() if self.depth else None
        if parent is not None and not self.can_create_at(parent.specific):
            raise ValidationError(
                _("A %(child)s cannot be placed under “%(parent)s”.")
                % {"child": self._meta.verbose_name, "parent": parent.title}
            )

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if self.live and (update_fields is None or {"title", "live"} & set(update_fields)):
            from wiki import links

            links.link_to_new_title(self)
        return result


class PlacePage(TerritoryPage):
    """A place of the territory (the territory itself, a commune, a neighbourhood)."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    search_fields = Page.search_fields + [index.SearchField("introduction")]

    class Meta:
        abstract = True


class NewPageRouteMixin(RoutablePageMixin):
    """`<page url>new/`: a verified resident creates a page under this one."""

    @path("new/", name="new")
    def new_page_route(self, request):
        from wiki import views

        return views.new_page(request, self)


class HomePage(PlacePage):
    """The territory itself (a métropole, an agglomération...)."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["wiki.CommunePage", "workshops.WorkshopIndexPage"]
    max_count_per_parent = 1

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("territory home page")

    def route(self, request, path_components):
        """Find the deepest page of the path in one query, then let it route the rest.

        Wagtail walks the tree one level per query (two with `.specific`); a
        wiki page sits four levels down. Page URLs are kept in `url_path`
        (indexed by wiki migration 0006), so every prefix of the path is looked
        up at once. What remains (`edit/`, `history/`...) goes to that page's
        own `route`, exactly as Wagtail would have; RESERVED_SLUGS keeps those
        action names from being used as child slugs.
        """
        if not path_components:
            return super().route(request, path_components)
        prefixes = [f"{self.url_path}{'/'.join(path_components[:n])}/" for n in range(1, len(path_components) + 1)]
        deepest = Page.objects.filter(url_path__in=prefixes).order_by("-depth").first()
        if deepest is None:
            return super().route(request, path_components)
        return deepest.specific.route(request, path_components[deepest.depth - self.depth :])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from wiki import territory

        user = request.user if request is not None else None
        context["communes"] = territory.commune_cards(self, user=user)
        context["map_projects"] = territory.located_projects(self, user)
        context.update(latest_activity(self, user))
        return context


class CommunePage(NewPageRouteMixin, PlacePage):
    insee_code = models.CharField(
        _("INSEE code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("An INSEE code has five characters, e.g. 33249."))],
        help_text=_("Official code of the commune, e.g. 33249 for Lormont."),
    )
    postal_code = models.CharField(
        _("postal code"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("A postal code has five digits."))],
    )
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
        help_text=_("Inhabitants, as INSEE counts them (population municipale), e.g. 24148."),
    )

    parent_page_types = ["wiki.HomePage"]
    subpage_types = ["wiki.NeighbourhoodPage", "wiki.WikiPage", "wiki.ProjectPage"]

    content_panels = Page.content_panels + [
        FieldPanel("insee_code"),
        FieldPanel("postal_code"),
        FieldPanel("population"),
        FieldPanel("introduction"),
    ]
    search_fields = PlacePage.search_fields + [index.FilterField("insee_code")]

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from wiki import territory

        user = request.user if request is not None else None
        context["neighbourhoods"] = territory.neighbourhood_cards(self, user=user)
        context["wiki_pages"] = _visible(WikiPage.objects.child_of(self).live(), request).order_by("title")
        context.update(projects_by_status(self, request))
        context.update(latest_activity(self, request.user))
        return context


class NeighbourhoodPage(NewPageRouteMixin, PlacePage):
    parent_page_types = ["wiki.CommunePage"]
    subpage_types = ["wiki.WikiPage", "wiki.ProjectPage"]

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    @property
    def commune(self):
        from wiki import territory

        return territory.commune_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["commune"] = self.get_parent()
        context["wiki_pages"] = _visible(WikiPage.objects.child_of(self).live(), request).order_by("title")
        context.update(projects_by_status(self, request))
        return context


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    CONSULTATION = "consultation", _("Consultation")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")


LATEST_PROJECTS = 5
LATEST_CHANGES = 8


def _visible(pages, request):
    """The pages of a listing that the visitor may see (members.visibility)."""
    from members import visibility

    return visibility.visible(pages, request.user if request is not None else None)


def latest_activity(place, user):
    """The newest projects and the pages changed last under `place` that `user` may see (two queries)."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from members import visibility
    from wiki import changes

    url = reverse("wiki:recent-changes")
    return {
        "latest_changes_url": f"{url}?{urlencode({'commune': place.slug})}" if isinstance(place, CommunePage) else url,
        "latest_projects": visibility.visible(ProjectPage.objects.live().descendant_of(place), user).order_by(
            "-first_published_at", "-pk"
        )[:LATEST_PROJECTS],
        # Ten edits of one page are one line.
        "latest_changes": changes.latest_by_page(user=user, place=place, limit=LATEST_CHANGES),
    }


def projects_by_status(place, request=None, *, theme=None):
    """The live projects under `place`, grouped by status in the order of ProjectStatus (one query).

    `?status=<value>` in the request keeps one status only; `theme` keeps the projects carrying it.
    """
    wanted = request.GET.get("status") if request is not None else None
    if wanted not in ProjectStatus.values:
        wanted = None
    parent_title = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    ).values("title")[:1]
    projects = (
        _visible(ProjectPage.objects.live().descendant_of(place), request)
        .annotate(place_title=Subquery(parent_title))
        .order_by("title")
    )
    if wanted:
        projects = projects.filter(status=wanted)
    if theme is not None:
        projects = projects.filter(themes=theme)
    groups = {status: [] for status in ProjectStatus}
    for project in projects:
        groups[ProjectStatus(project.status)].append(project)
    return {
        "project_groups": [(status, groups[status]) for status in ProjectStatus if groups[status]],
        "project_status_choices": ProjectStatus.choices,
        "project_status_filter": wanted,
    }


class Theme(models.Model):
    """A subject that cuts across the territory (mobility, housing...): staff edit the list."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Protection(models.TextChoices):
    OPEN = "open", _("Open: any verified member")
    SEMI = "semi", _("Semi-protected: trusted members only")
    STAFF = "staff", _("Staff only")


class _PageRevisions(RevisionQuerySet):
    def update(self, **kwargs):
        if kwargs == {"approved_go_live_at": None}:
            # Wagtail clears the scheduled go-live of every revision of the page at
            # each publish: only the rows that have one need writing, not 500.
            return super(_PageRevisions, self.filter(approved_go_live_at__isnull=False)).update(**kwargs)
        return super().update(**kwargs)


class MarkdownPage(RoutablePageMixin, TerritoryPage):
    """A page residents write in Markdown, with its history and its public editing routes."""

    body = models.TextField(
        _("text"),
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
        help_text=_("Markdown. Link to another page of the territory with [[Page title]] or [[Page title|label]]."),
    )

    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="%(class)s_pages")
    protection = models.CharField(
        _("protection"),
        max_length=10,
        choices=Protection.choices,
        default=Protection.OPEN,
        help_text=_("Who may edit this page from the public site."),
    )

    search_fields = Page.search_fields + [index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("themes")]
    settings_panels = TerritoryPage.settings_panels + [FieldPanel("protection")]
    # Only staff see and change the protection in the admin (wiki.admin_pages).
    base_form_class = MarkdownPageForm
    # Fields besides title and body that an edit may change (ProjectPage's facts).
    fact_fields = ()

    class Meta:
        abstract = True

    # The content a revision holds, as the wiki sees it.
    def content_of(self):
        return {"title": self.title, "body": self.body, **{name: getattr(self, name) for name in self.fact_fields}}

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            from wiki import links

            links.update_links(self)
        return result

    def permissions_for_user(self, user):
        """What `user` may do with this page in the admin: nothing when its protection keeps them out."""
        return ProtectedPagePermissionTester(user, self)

    @property
    def revisions(self):
        revisions = super().revisions.all()
        return _PageRevisions(model=revisions.model, query=revisions.query, using=revisions._db, hints=revisions._hints)

    def save_revision(
        self, user=None, *args, summary="", action=None, merged=False, reverts=None, log_action=False, **kwargs
    ):
        """Wagtail's save_revision, plus the wiki's facts about the revision (RevisionMeta).

        The admin calls it without the wiki's keywords: its revisions get a
        RevisionMeta too (no summary), so the history is complete.
        """
        previous_id = self.latest_revision_id
        previous_size = 0
        if previous_id:
            previous_size = RevisionMeta.objects.filter(revision_id=previous_id).values_list("size", flat=True).first()
            if previous_size is None:
                content = Revision.objects.filter(pk=previous_id).values_list("content", flat=True).first() or {}
                previous_size = len(content.get("body") or "")
        from wiki import moderation

        revision = super().save_revision(user, *args, log_action=log_action, **kwargs)
        size = len(self.body or "")
        RevisionMeta.objects.create(
            revision=revision,
            page_id=self.pk,
            summary=(summary or "")[:SUMMARY_MAX_LENGTH],
            size=size,
            size_change=size - previous_size,
            is_new_page=not previous_id,
            action=action or (RevisionMeta.Action.CREATE if not previous_id else RevisionMeta.Action.EDIT),
            merged=merged,
            reverts=reverts,
            needs_patrol=moderation.needs_patrol(user),
        )
        return revision

    def get_context(self, request, *args, **kwargs):
        from wiki import links, permissions

        context = super().get_context(request, *args, **kwargs)
        context["body_html"] = links.render_page_body(self, request)
        # Private sources are filtered in the same query (members.visibility): no query of its own.
        context["what_links_here"] = links.what_links_here(self, request.user)
        context["last_revision"] = (
            Revision.objects.filter(pk=self.latest_revision_id).select_related("user__member").first()
        )
        context["can_edit"] = permissions.can_edit(request.user, self)
        return context

    # Public actions on the page (wiki.views does the work).
    @path("edit/", name="edit")
    def edit_route(self, request):
        from wiki import views

        return views.edit_page(request, self)

    @path("history/", name="history")
    def history_route(self, request):
        from wiki import views

        return views.history(request, self)

    @path("history/feed/", name="history-feed")
    def history_feed_route(self, request):
        from wiki import feeds

        return feeds.PageHistoryFeed()(request, page=self)

    @path("diff/<id:old_id>/<id:new_id>/", name="diff")
    def diff_route(self, request, old_id, new_id):
        from wiki import views

        return views.diff(request, self, old_id, new_id)

    @path("changes/<id:revision_id>/", name="changes")
    def changes_route(self, request, revision_id):
        from wiki import views

        return views.revision_changes(request, self, revision_id)

    @path("undo/<id:revision_id>/", name="undo")
    def undo_route(self, request, revision_id):
        from wiki import views

        return views.undo(request, self, revision_id)

    @path("restore/<id:revision_id>/", name="restore")
    def restore_route(self, request, revision_id):
        from wiki import views

        return views.restore(request, self, revision_id)

    @path("rollback/", name="rollback")
    def rollback_route(self, request):
        from wiki import views

        return views.rollback(request, self)

    @path("move/", name="move")
    def move_route(self, request):
        from wiki import views

        return views.move_page(request, self)

    @path("follow/", name="follow")
    def follow_route(self, request):
        from wiki import follow_views

        return follow_views.follow_page(request, self)


class WikiPage(NewPageRouteMixin, MarkdownPage):
    """An article about a place, a service, a topic of the territory."""

    parent_page_types = ["wiki.CommunePage", "wiki.NeighbourhoodPage", "wiki.WikiPage"]
    subpage_types = ["wiki.WikiPage"]

    class Meta:
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = _visible(WikiPage.objects.child_of(self).live(), request).order_by("title")
        return context


class ProjectPage(MarkdownPage):
    """A project of a neighbourhood or a commune, from the first idea to its end."""

    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IDEA)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (euros)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees, e.g. 44.8812."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees, e.g. -0.5215 (west of Greenwich is negative)."),
    )

    parent_page_types = ["wiki.CommunePage", "wiki.NeighbourhoodPage"]
    subpage_types = []
    fact_fields = ("status", "start_date", "end_date", "budget", "latitude", "longitude")

    content_panels = MarkdownPage.content_panels + [
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Dates")),
        FieldPanel("budget"),
        MultiFieldPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Location")),
    ]
    search_fields = MarkdownPage.search_fields + [index.FilterField("status")]

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both the latitude and the longitude, or neither."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def neighbourhood(self):
        from wiki import territory

        return territory.neighbourhood_of(self)


class PageLink(models.Model):
    """A wiki link from one page to another, or to a title no page has yet.

    Rebuilt from the body every time a page is saved (wiki.links); powers
    "what links here" and renders links without looking titles up again.
    """

    source = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("from"), on_delete=models.CASCADE, related_name="wiki_links_out"
    )
    target = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wiki_links_in",
    )
    target_title = models.CharField(_("title linked to"), max_length=255)
    target_key = models.CharField(max_length=255, db_index=True)

    class Meta:
        verbose_name = _("wiki link")
        verbose_name_plural = _("wiki links")
        constraints = [models.UniqueConstraint(fields=["source", "target_key"], name="wiki_pagelink_unique_per_source")]

    def __str__(self):
        return f"{self.source_id} → {self.target_title}"


class RevisionMeta(models.Model):
    """What the wiki knows about one revision of a page (Wagtail keeps the content)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Page created")
        EDIT = "edit", _("Edit")
        UNDO = "undo", _("Undo")
        RESTORE = "restore", _("Restore")
        ROLLBACK = "rollback", _("Rollback")
        MOVE = "move", _("Rename or move")

    revision = models.OneToOneField(
        "wagtailcore.Revision", primary_key=True, on_delete=models.CASCADE, related_name="wiki_meta"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+", db_index=True)
    summary = models.CharField(_("edit summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    size = models.PositiveIntegerField(_("size (characters)"), default=0)
    size_change = models.IntegerField(_("size change"), default=0)
    is_new_page = models.BooleanField(_("new page"), default=False)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.EDIT)
    merged = models.BooleanField(
        _("merged"), default=False, help_text=_("Saved after merging with an edit made at the same time.")
    )
    reverts = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("undoes or restores"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reverted = models.BooleanField(_("reverted"), default=False, db_index=True)
    # Patrol: edits by members younger than the patrol window wait for a moderator.
    needs_patrol = models.BooleanField(_("awaiting patrol"), default=False, db_index=True)
    patrolled_at = models.DateTimeField(_("patrolled at"), null=True, blank=True)
    patrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Hidden: the content stays stored and visible to moderators, not to the public.
    hidden = models.BooleanField(_("content hidden"), default=False)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=255, blank=True)
    reverted_by = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("reverted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("revision facts")
        verbose_name_plural = _("revision facts")

    def __str__(self):
        return f"revision {self.revision_id}"


class PageFollow(models.Model):
    """A member follows a page and gets its changes in one digest email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="wiki_follows"
    )
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)
    # Changes up to this moment were already sent in a digest.
    notified_until = models.DateTimeField(_("digest sent up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("followed page")
        verbose_name_plural = _("followed pages")
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="wiki_pagefollow_unique")]

    def __str__(self):
        return f"{self.user_id} follows {self.page_id}"


@register_setting(icon="lock")
class WikiSettings(BaseSiteSetting):
    """Trust threshold for semi-protected pages and rate limits: Settings > Wiki in the admin."""

    trusted_min_account_days = models.PositiveIntegerField(
        _("trusted members: minimum account age (days)"),
        default=4,
        help_text=_("Semi-protected pages can be edited by members whose account is at least this old..."),
    )
    trusted_min_edits = models.PositiveIntegerField(
        _("trusted members: minimum number of edits"),
        default=10,
        help_text=_("... and who made at least this many edits."),
    )
    new_account_days = models.PositiveIntegerField(
        _("new accounts: age below which stricter limits apply (days)"), default=7
    )
    edits_per_hour = models.PositiveIntegerField(_("edits per hour"), default=60)
    edits_per_hour_new = models.PositiveIntegerField(_("edits per hour for new accounts"), default=10)
    pages_per_day = models.PositiveIntegerField(_("new pages per day"), default=20)
    pages_per_day_new = models.PositiveIntegerField(_("new pages per day for new accounts"), default=3)

    panels = [
        MultiFieldPanel(
            [FieldPanel("trusted_min_account_days"), FieldPanel("trusted_min_edits")],
            heading=_("Semi-protected pages"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("new_account_days"),
                FieldPanel("edits_per_hour"),
                FieldPanel("edits_per_hour_new"),
                FieldPanel("pages_per_day"),
                FieldPanel("pages_per_day_new"),
            ],
            heading=_("Rate limits"),
        ),
    ]

    class Meta:
        verbose_name = _("wiki settings")
