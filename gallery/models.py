"""Photos residents place in the wiki, and the video providers staff allow.

A photo is a Wagtail image (`wagtailimages.Image`, whose renditions the pages
show) with a `Photo` beside it, one to one, holding what the wiki needs: the
alternative text, caption, credit and licence, who uploaded it, and the
moderation state. The stored file is the upload re-encoded without its
metadata (gallery.images); the upload itself is never kept.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable

ALT_MAX_LENGTH = 250
CAPTION_MAX_LENGTH = 250
CREDIT_MAX_LENGTH = 120


class Licence(models.TextChoices):
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"


LICENCE_URLS = {
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class PhotoQuerySet(models.QuerySet):
    def visible(self):
        """Photos anyone may see: not hidden by a moderator (the one filter of every list and page)."""
        return self.filter(hidden=False)


class Photo(models.Model):
    image = models.OneToOneField(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="photo"
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=ALT_MAX_LENGTH,
        help_text=_("What the photo shows, for residents who cannot see it (read aloud by screen readers)."),
    )
    caption = models.CharField(_("caption"), max_length=CAPTION_MAX_LENGTH, blank=True)
    credit = models.CharField(
        _("author"), max_length=CREDIT_MAX_LENGTH, help_text=_("Who took the photo, as it should be credited.")
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY_SA)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("uploaded from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activity = models.ForeignKey(
        "members.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    patrolled = models.BooleanField(_("checked by a moderator"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False, db_index=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.alt_text

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")

    @property
    def markdown(self):
        """What places the photo in a page's text."""
        alt = self.alt_text.replace("[", "(").replace("]", ")").replace("\n", " ")
        return f"![{alt}](photo:{self.pk})"


@register_setting(icon="media")
class VideoSettings(BaseGenericSetting):
    """Which video providers pages may embed: the CSP's frame-src lists exactly these."""

    youtube = models.BooleanField(
        _("YouTube (through youtube-nocookie.com)"),
        default=True,
        help_text=_("Videos of youtube.com and youtu.be play from Google's no-cookie domain."),
    )
    vimeo = models.BooleanField(_("Vimeo"), default=True)
    dailymotion = models.BooleanField(_("Dailymotion"), default=True)
    peertube_instances = models.TextField(
        _("PeerTube instances"),
        blank=True,
        default="",
        help_text=_("One host name per line, e.g. video.blender.org or tube.example.fr."),
    )

    panels = [
        HelpPanel(
            content=_(
                "Residents embed a video by writing its address alone on a line. Nothing is loaded from the "
                "provider until the visitor clicks; only the providers ticked here are allowed."
            )
        ),
        FieldPanel("youtube"),
        FieldPanel("vimeo"),
        FieldPanel("dailymotion"),
        FieldPanel("peertube_instances"),
    ]

    class Meta:
        verbose_name = _("videos")

    def save(self, *args, **kwargs):
        changed = not self._state.adding  # the row made with the defaults on first read changes nothing
        super().save(*args, **kwargs)
        if changed:
            from gallery import render

            render.invalidate()


class ProjectDocument(models.Model):
    """A PDF attached to a project (a public notice, a plan) by staff or a trusted member: a Wagtail document."""

    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+")
    document = models.OneToOneField(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="project_link"
    )
    title = models.CharField(_("title"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["-added_at", "-pk"]

    def __str__(self):
        return self.title


# The community manager's selection ("À la une") -------------------------------------


def validate_web_url(value):
    from urllib.parse import urlsplit

    from django.core.exceptions import ValidationError

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("Only http and https addresses can be linked."))


class Selection(ClusterableModel):
    """A hand-ordered selection of a theme, of a commune, or of the home page (neither)."""

    theme = models.OneToOneField(
        "wiki.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="selection",
    )
    commune = models.OneToOneField(
        "wiki.CommunePage",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="selection",
    )

    panels = [
        HelpPanel(
            content=_(
                "Choose a theme, or a commune, or neither for the home page. Each item is a page (a project, "
                "a workshop...), a photo, or an external link with its title, source and date; add a short comment "
                "and, if you like, the dates between which it shows."
            )
        ),
        FieldPanel("theme"),
        FieldPanel("commune"),
        InlinePanel("items", label=_("Items")),
    ]

    class Meta:
        verbose_name = _("selection “À la une”")
        verbose_name_plural = _("selections “À la une”")
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(theme__isnull=False) & models.Q(commune__isnull=False)),
                name="gallery_selection_theme_or_commune",
            )
        ]

    def __str__(self):
        if self.theme_id:
            return _("À la une: %(place)s") % {"place": self.theme}
        if self.commune_id:
            return _("À la une: %(place)s") % {"place": self.commune}
        return str(_("À la une: home page"))

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.theme_id and self.commune_id:
            raise ValidationError(_("A selection is for a theme or for a commune, not both."))
        if not self.theme_id and not self.commune_id:
            others = Selection.objects.filter(theme__isnull=True, commune__isnull=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(_("The home page already has its selection."))


class SelectionItem(Orderable):
    selection = ParentalKey(Selection, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(
        _("external link"), blank=True, max_length=500, validators=[validate_web_url], help_text=_("http or https")
    )
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Required for an external link."))
    source = models.CharField(_("source"), max_length=120, blank=True, help_text=_("E.g. Sud Ouest, the town hall."))
    published_on = models.DateField(_("date"), null=True, blank=True)
    comment = models.CharField(_("comment of the team"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("shown from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True)

    panels = [
        FieldPanel("page"),
        FieldPanel("photo"),
        FieldPanel("url"),
        FieldPanel("title"),
        FieldPanel("source"),
        FieldPanel("published_on"),
        FieldPanel("comment"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("item")

    def clean(self):
        from django.core.exceptions import ValidationError

        kinds = [bool(self.page_id), bool(self.photo_id), bool(self.url)]
        if sum(kinds) != 1:
            raise ValidationError(_("Each item is one page, one photo or one external link."))
        if self.url and not self.title:
            raise ValidationError({"title": _("Give the external link a title.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})

    @property
    def domain(self):
        from urllib.parse import urlsplit

        return urlsplit(self.url).hostname or "" if self.url else ""

    @property
    def shown_title(self):
        if self.page_id:
            return self.title or self.page.title
        if self.photo_id:
            return self.title or self.photo.caption or self.photo.alt_text
        return self.title
