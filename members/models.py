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
        REPORT_UPHELD = "report_upheld", _("Report upheld")
        # Decisions about earlier lines: they carry no points themselves.
        REVERTED = "reverted", _("Contribution reverted")
        PATROLLED = "patrolled", _("Contribution patrolled")
        HIDDEN = "hidden", _("Contribution hidden")
        # A moderator restored a hidden item (or an appeal was granted): concerns the HIDDEN line it lifts.
        RESTORED = "restored", _("Contribution restored")

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


class InForceQuerySet(models.QuerySet):
    """The one "in force" rule of blocks and mutes; every reader of them goes through it."""

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

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.member} {self.starts_at:%Y-%m-%d}"

    def in_force(self, at=None):
        """This block is in force at `at` (default: now): the rule of InForceQuerySet.in_force, on one row."""
        at = at or timezone.now()
        return self.starts_at <= at and (self.ends_at is None or self.ends_at > at)

    @classmethod
    def active_or_recent(cls, at):
        """Blocks in force at `at` or at some moment of the RECENT_BLOCK_DAYS before it."""
        return cls.objects.in_force_during(at - timedelta(days=cls.RECENT_BLOCK_DAYS), at)


class Mute(models.Model):
    """A member who may read and edit their profile but not post anything for a while.

    Enforced on every way of posting (comments, wiki edits and new pages,
    questions, uploads) through members.access. Imposed by a moderation
    decision (`decision`), which holds the reason told to the member.
    """

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="mutes")
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("muted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decision = models.ForeignKey(
        "members.ModerationDecision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.member} {self.starts_at:%Y-%m-%d}"


class Warning(models.Model):  # noqa: A001 - the moderation word; never shadows the builtin in this module's code
    """A message from the moderators that the member must acknowledge before posting again."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="warnings")
    message = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("warned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("warned at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    decision = models.ForeignKey(
        "members.ModerationDecision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.member} {self.created_at:%Y-%m-%d}"


class ModerationDecision(models.Model):
    """One line of the moderation log: a report, a decision, an appeal or its outcome. Append-only.

    Every app's moderation writes here (members.moderation.record_decision), in the
    same transaction as the change it logs: comments, page versions and photos
    hidden or restored, members warned, muted or blocked. `statement` is the
    statement of reasons told to `member` (by email and on /me/, as the
    Digital Services Act asks): which item, which rule, what happens next;
    empty when nothing is told (a report, a dismissal). An appeal is a new line
    (`APPEAL`, `concerns` the decision contested, at most one per decision), and
    its outcome another (`concerns` the appeal). Nothing here is ever updated
    or deleted by the application.
    """

    class Action(models.TextChoices):
        REPORT = "report", _("Report")
        AUTO_HIDE = "auto_hide", _("Hidden pending review")
        HOLD = "hold", _("Held for review")
        DISMISS = "dismiss", _("Reports dismissed")
        ESCALATE = "escalate", _("Escalated to a senior moderator")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        WARN = "warn", _("Warning")
        MUTE = "mute", _("Mute")
        UNMUTE = "unmute", _("Mute lifted")
        BLOCK = "block", _("Block")
        UNBLOCK = "unblock", _("Block lifted")
        APPEAL = "appeal", _("Appeal")
        APPEAL_GRANTED = "appeal_granted", _("Appeal granted: decision reversed")
        APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected: decision upheld")

    class Rule(models.TextChoices):
        """The reasons residents report for, and the rule a decision applies."""

        ILLEGAL = "illegal", _("Illegal content")
        HARASSMENT = "harassment", _("Insult or harassment")
        PERSONAL_DATA = "personal_data", _("Personal data")
        FALSE_INFORMATION = "false_information", _("False information")
        SPAM = "spam", _("Spam")
        OTHER = "other", _("Other")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: taken automatically (a threshold of reports, a rule against spam)."),
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_decisions",
        help_text=_("The author of the item, or the member warned, muted or blocked."),
    )
    # The item, as "app_label.model:pk" (members.activity.describe), with a label and a link kept as they
    # were when the decision was taken.
    target = models.CharField(_("item"), max_length=100, blank=True, db_index=True)
    target_label = models.CharField(_("item description"), max_length=255, blank=True)
    target_url = models.CharField(_("item link"), max_length=500, blank=True)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices, blank=True)
    statement = models.TextField(
        _("statement of reasons"), blank=True, help_text=_("Told to the member concerned. Empty: nothing told.")
    )
    details = models.TextField(_("details"), blank=True, help_text=_("A reporter's details or an appeal's text."))
    note = models.TextField(_("internal note"), blank=True, help_text=_("For moderators only."))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    concerns = models.ForeignKey(
        "self",
        verbose_name=_("concerns"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
    )
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="members_moderation_member"),
            models.Index(fields=["action", "-created_at"], name="members_moderation_action"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["concerns"],
                condition=models.Q(action="appeal"),
                name="members_moderation_one_appeal",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.target_label or self.member} · {self.created_at:%Y-%m-%d %H:%M}"


@register_setting(icon="warning")
class ModerationSettings(BaseSiteSetting):
    """How moderation works on this site: Settings > Moderation in the admin (staff)."""

    report_threshold = models.DecimalField(
        _("weighted reports that hide an item"),
        max_digits=5,
        decimal_places=2,
        default=3,
        help_text=_(
            "An item is hidden pending review when the weights of its reports add up to this. A reporter "
            "weighs from 0.5 (new account, no contribution) to 2 (older account whose reports were upheld)."
        ),
    )
    moderators_may_sanction = models.BooleanField(
        _("moderators may warn, mute and block"),
        default=False,
        help_text=_("Off: only senior moderators and staff warn, mute and block members."),
    )
    sanction_rank_days = models.PositiveIntegerField(
        _("days a warned or muted member does not rank"),
        default=30,
        help_text=_("A member muted or warned less than this many days ago does not rank, like a blocked one."),
    )
    hold_first_comments = models.PositiveIntegerField(
        _("first comments held for review"),
        default=0,
        help_text=_("A new member's first comments wait for a moderator. 0: none is held."),
    )
    hold_links_from_new_accounts = models.BooleanField(
        _("hold comments with links from new accounts"),
        default=True,
        help_text=_("Comments with a link, by accounts younger than the wiki's new-account age, wait for a moderator."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("report_threshold")], heading=_("Reports")),
        MultiFieldPanel(
            [FieldPanel("moderators_may_sanction"), FieldPanel("sanction_rank_days")], heading=_("Sanctions")
        ),
        MultiFieldPanel(
            [FieldPanel("hold_first_comments"), FieldPanel("hold_links_from_new_accounts")],
            heading=_("Against spam"),
        ),
    ]

    class Meta:
        verbose_name = _("moderation settings")


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
    report_upheld_weight = models.PositiveIntegerField(
        _("points for a report upheld"),
        default=1,
        help_text=_("A report that a moderator upholds earns its reporter this many points. A dismissed one: none."),
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
                FieldPanel("report_upheld_weight"),
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
