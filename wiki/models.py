"""The territory tree: home (the territory) > communes > neighbourhoods."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class TerritoryPage(Page):
    """Shared behaviour of the territory's page types.

    Wagtail's admin never offers a page type where it does not belong; `clean`
    also refuses it for code paths that bypass the admin (imports, scripts).
    """

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    search_fields = Page.search_fields + [index.SearchField("introduction")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ancestors"] = self.get_ancestors().filter(depth__gt=1)
        return context

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.depth else None
        if parent is not None and not self.can_create_at(parent.specific) and not self.pk:
            raise ValidationError(
                _("A %(child)s cannot be placed under “%(parent)s”.")
                % {"child": self._meta.verbose_name, "parent": parent.title}
            )


class HomePage(TerritoryPage):
    """The territory itself (a métropole, an agglomération...)."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["wiki.CommunePage", "workshops.WorkshopIndexPage"]
    max_count_per_parent = 1

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("territory home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communes"] = CommunePage.objects.child_of(self).live().order_by("title")
        return context


class CommunePage(TerritoryPage):
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

    parent_page_types = ["wiki.HomePage"]
    subpage_types = ["wiki.NeighbourhoodPage"]

    content_panels = Page.content_panels + [
        FieldPanel("insee_code"),
        FieldPanel("postal_code"),
        FieldPanel("introduction"),
    ]
    search_fields = TerritoryPage.search_fields + [index.FilterField("insee_code")]

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["neighbourhoods"] = NeighbourhoodPage.objects.child_of(self).live().order_by("title")
        return context


class NeighbourhoodPage(TerritoryPage):
    parent_page_types = ["wiki.CommunePage"]
    subpage_types = []

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    @property
    def commune(self):
        return CommunePage.objects.parent_of(self).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["commune"] = self.get_parent()
        context["children"] = self.get_children().live().specific().order_by("title")
        return context
