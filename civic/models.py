from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from civic import brand


class MailFailure(models.Model):
    """An email that could not be sent, and why (civic.mail.send): staff see them in the Wagtail admin.

    Holds recipients' addresses: kept MAIL_FAILURE_DAYS, then deleted when the next failure is recorded.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("email"), max_length=100)
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    error = models.TextField(_("reason"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("failed email")
        verbose_name_plural = _("failed emails")

    def __str__(self):
        return f"{self.kind} → {self.recipients}"


def validate_link(value):
    """A footer link: a path of this site (/…) or an http(s) address."""
    if not (value.startswith("/") and not value.startswith("//")) and not value.startswith(("https://", "http://")):
        raise ValidationError(
            _("Enter a path of this site starting with / or an address starting with https://."), code="link"
        )


ACCESSIBILITY_STATUSES = [
    ("none", _("Accessibility: not compliant")),
    ("partial", _("Accessibility: partially compliant")),
    ("full", _("Accessibility: fully compliant")),
]


@register_setting(icon="image")
class BrandSettings(ClusterableModel, BaseSiteSetting):
    """The collectivité's name, logo, colours, contact and legal pages: Settings > Brand and legal pages."""

    site_name = models.CharField(
        _("site name"),
        max_length=80,
        default=brand.DEFAULT_SITE_NAME,
        help_text=_("Shown in the header, the page titles and the emails."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the header beside the site name, on the main colour: prefer a light or white logo."),
    )
    main_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default=brand.DEFAULT_MAIN_COLOUR,
        validators=[brand.validate_colour],
        help_text=_("The header's background, under white text (e.g. #083a68)."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=brand.DEFAULT_ACCENT_COLOUR,
        validators=[brand.validate_colour],
        help_text=_("Links and buttons, with white text on buttons (e.g. #0b5394)."),
    )
    contact_email = models.EmailField(
        _("contact address"), blank=True, help_text=_("Shown in the footer; residents write to it.")
    )
    legal_notice_page = models.ForeignKey(
        "civic.InformationPage",
        verbose_name=_("legal notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    personal_data_page = models.ForeignKey(
        "civic.InformationPage",
        verbose_name=_("personal data and cookies"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "civic.InformationPage",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_status = models.CharField(
        _("accessibility: conformity status"),
        max_length=10,
        choices=ACCESSIBILITY_STATUSES,
        default="none",
        help_text=_("From the last RGAA audit; the footer link says it, as the law asks."),
    )
    contact_page = models.ForeignKey(
        "civic.InformationPage",
        verbose_name=_("contact page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("logo"), FieldPanel("main_colour"), FieldPanel("accent_colour")],
            heading=_("Brand"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("legal_notice_page"),
                FieldPanel("personal_data_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("accessibility_status"),
                FieldPanel("contact_page"),
            ],
            heading=_("Footer: contact and legal pages"),
        ),
        InlinePanel("footer_links", heading=_("Other footer links"), label=_("link")),
    ]

    class Meta:
        verbose_name = _("brand and legal pages")

    @property
    def legal_links(self):
        """(label, page) of the footer's legal pages that are set and live, in the order the law lists them."""
        pages = [
            (_("Legal notice"), self.legal_notice_page),
            (_("Personal data and cookies"), self.personal_data_page),
            (self.get_accessibility_status_display(), self.accessibility_page),
            (_("Contact"), self.contact_page),
        ]
        return [(label, page) for label, page in pages if page is not None and page.live]


class FooterLink(Orderable):
    """One more link of the footer (the collectivité's main site, a newsletter...)."""

    settings = ParentalKey(BrandSettings, on_delete=models.CASCADE, related_name="footer_links")
    label = models.CharField(_("label"), max_length=80)
    url = models.CharField(_("address"), max_length=500, validators=[validate_link])

    panels = [FieldPanel("label"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")

    def __str__(self):
        return self.label


class InformationPage(Page):
    """A page of information staff write in the admin: legal notice, personal data, accessibility, contact."""

    body = RichTextField(
        _("text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"], blank=True
    )
    updated_on = models.DateField(_("last updated"), null=True, blank=True)

    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("updated_on"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
