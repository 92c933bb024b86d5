"""Member profiles and the consents they give."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

pseudonym_validator = RegexValidator(
    r"^[\w][\w .'-]{1,38}[\w]$",
    _(
        "A pseudonym has 3 to 40 characters: letters, digits, spaces, dots, "
        "apostrophes, hyphens or underscores, starting and ending with a letter or digit."
    ),
)


class Member(models.Model):
    """The public face of a user: pseudonym, home territory and consents."""

    class Consent(models.TextChoices):
        LEADERBOARD = "leaderboard", _("Show me on the public leaderboard")
        INVITATIONS = "invitations", _("Invite me to workshops")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=40,
        validators=[pseudonym_validator],
        help_text=_("The name other residents see. Do not use your full name if you prefer to stay discreet."),
    )
    commune = models.ForeignKey(
        "wiki.CommunePage",
        verbose_name=_("home commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    neighbourhood = models.ForeignKey(
        "wiki.NeighbourhoodPage",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    show_on_leaderboard = models.BooleanField(_("show me on the public leaderboard"), default=False)
    accept_invitations = models.BooleanField(_("invite me to workshops"), default=False)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                Lower("pseudonym"),
                name="member_pseudonym_unique_ci",
                violation_error_message=_("This pseudonym is already taken."),
            )
        ]

    def __str__(self):
        return self.pseudonym

    def is_blocked(self, at=None):
        """Is the member blocked at `at` (default: now)?"""
        return self.blocks.in_force(at).exists()

    def current_block(self, at=None):
        """The block in force at `at` (default: now) that ends last (until lifted first), or None.

        The one block the member is told about, on /me/ and when refused (members.access.block_in_force).
        """
        return self.blocks.in_force(at).ending_last().first()

    # The field holding each consent (members.services.set_consents writes them with their record).
    CONSENT_FIELDS = {Consent.LEADERBOARD: "show_on_leaderboard", Consent.INVITATIONS: "accept_invitations"}

    def consent_value(self, consent):
        return getattr(self, self.CONSENT_FIELDS[consent])


class ConsentRecord(models.Model):
    """Every change of consent, with its date (GDPR: proof of consent)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consent_records")
    consent = models.CharField(_("consent"), max_length=20, choices=Member.Consent.choices)
    given = models.BooleanField(_("given"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.member} {self.consent}={self.given}"


class Activity(models.Model):
    """One line of the append-only engagement ledger.

    Never updated or deleted by the application: a revert, a patrol or a
    moderator's decision is a new line pointing at the line it concerns
    (`concerns`). Scores are derived from these lines and the current rules
    (members.scoring), never stored on them.
    """

    class Kind(models.TextChoices):
        EDIT = "edit", _("Page edit")
        PAGE_CREATED = "page_created", _("New page")
        PROJECT_CREATED = "project_created", _("New project")
        WORKSHOP_ATTENDED = "workshop_attended", _("Workshop attended")
        WRITEUP = "writeup", _("Workshop write-up")
        DISCUSSION = "discussion", _("Discussion post")
        PHOTO = "photo", _("Photo added")
        # Decisions about earlier lines: they carry no points themselves.
        REVERTED = "reverted", _("Contribution reverted")
        PATROLLED = "patrolled", _("Contribution patrolled")
        HIDDEN = "hidden", _("Contribution hidden")

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=_("Empty once the member deleted their account: the line stays, detached."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The object the line is about when it is neither a page nor a revision
    # (a workshop, a comment), as "app_label.model:pk".
    target = models.CharField(_("about"), max_length=100, blank=True)
    concerns = models.ForeignKey(
        "self",
        verbose_name=_("concerns"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    chars_changed = models.PositiveIntegerField(_("characters changed"), default=0)
    facts = models.JSONField(_("facts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["kind", "occurred_at"]),
            models.Index(fields=["member", "occurred_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.member or '—'} · {self.occurred_at:%Y-%m-%d %H:%M}"


class BlockQuerySet(models.QuerySet):
    """The one "in force" rule of blocks; every reader of blocks goes through it."""

    def in_force_during(self, start, end):
        """Blocks in force at some moment between `start` and `end`: started by `end`, not ended by `start`."""
        return self.filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=start), starts_at__lte=end)

    def in_force(self, at=None):
        """Blocks in force at `at` (default: now): started at or before it, ending after it or never."""
        at = at or timezone.now()
        return self.in_force_during(at, at)

    def ending_last(self):
        """Until lifted first, then by end, latest first."""
        return self.order_by(models.F("ends_at").desc(nulls_first=True), "-pk")


class Block(models.Model):
    """A member barred from contributing for a while (ends_at empty: until lifted).

    A blocked member, or one whose block ended less than
    `RECENT_BLOCK_DAYS` ago, never ranks (members.scoring).
    """

    RECENT_BLOCK_DAYS = 30

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="blocks")
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Empty: until lifted."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.member} {self.starts_at:%Y-%m-%d}"

    def in_force(self, at=None):
        """This block is in force at `at` (default: now): the rule of BlockQuerySet.in_force, on one row."""
        at = at or timezone.now()
        return self.starts_at <= at and (self.ends_at is None or self.ends_at > at)

    @classmethod
    def active_or_recent(cls, at):
        """Blocks in force at `at` or at some moment of the RECENT_BLOCK_DAYS before it."""
        return cls.objects.in_force_during(at - timedelta(days=cls.RECENT_BLOCK_DAYS), at)


@register_setting(icon="pick")
class ScoringSettings(BaseSiteSetting):
    """How contributions turn into points: editable by staff in Settings > Scoring.

    Read by members.scoring at every computation, so a change applies to the
    whole history at once (the cached leaderboard is keyed on these values).
    """

    edit_weight = models.PositiveIntegerField(
        _("points per size step of an edit"),
        default=1,
        help_text=_("An edit earns this many points per size step (1 to 5 steps). 0 switches edits off."),
    )
    tiny_edit_chars = models.PositiveIntegerField(
        _("tiny edit threshold (characters)"),
        default=20,
        help_text=_("Edits changing fewer characters than this score nothing."),
    )
    edit_step_2_chars = models.PositiveIntegerField(_("2 steps from (characters)"), default=100)
    edit_step_3_chars = models.PositiveIntegerField(_("3 steps from (characters)"), default=300)
    edit_step_4_chars = models.PositiveIntegerField(_("4 steps from (characters)"), default=1000)
    edit_step_5_chars = models.PositiveIntegerField(_("5 steps from (characters)"), default=3000)
    page_created_weight = models.PositiveIntegerField(_("points for a new page"), default=5)
    project_created_weight = models.PositiveIntegerField(_("points for a new project"), default=8)
    workshop_attended_weight = models.PositiveIntegerField(_("points for a workshop attended"), default=15)
    writeup_weight = models.PositiveIntegerField(_("points for a workshop write-up"), default=10)
    discussion_weight = models.PositiveIntegerField(_("points for a discussion post"), default=1)
    photo_weight = models.PositiveIntegerField(
        _("points for a photo"),
        default=2,
        help_text=_("A photo added to the wiki; a new member's photo scores once a moderator checked it."),
    )
    daily_edit_cap = models.PositiveIntegerField(
        _("daily cap on edit points"),
        default=30,
        help_text=_("Most points a member can earn from edits in one day. Workshops are never capped. 0: no cap."),
    )
    patrol_window_days = models.PositiveIntegerField(
        _("patrol window (days)"),
        default=14,
        help_text=_(
            "Edits made by members who joined less than this many days before score once a moderator "
            "patrolled them, or once this many days have passed since the edit."
        ),
    )
    min_account_age_days = models.PositiveIntegerField(_("minimum account age to rank (days)"), default=7)
    min_contributions = models.PositiveIntegerField(_("minimum number of contributions to rank"), default=3)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("edit_weight"),
                FieldPanel("tiny_edit_chars"),
                FieldPanel("edit_step_2_chars"),
                FieldPanel("edit_step_3_chars"),
                FieldPanel("edit_step_4_chars"),
                FieldPanel("edit_step_5_chars"),
                FieldPanel("daily_edit_cap"),
                FieldPanel("patrol_window_days"),
            ],
            heading=_("Edits"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("page_created_weight"),
                FieldPanel("project_created_weight"),
                FieldPanel("workshop_attended_weight"),
                FieldPanel("writeup_weight"),
                FieldPanel("discussion_weight"),
                FieldPanel("photo_weight"),
            ],
            heading=_("Other contributions"),
        ),
        MultiFieldPanel(
            [FieldPanel("min_account_age_days"), FieldPanel("min_contributions")],
            heading=_("Who ranks"),
        ),
    ]

    class Meta:
        verbose_name = _("scoring")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from members.scoring import invalidate

        invalidate()
