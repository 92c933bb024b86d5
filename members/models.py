"""Member profiles and the consents they give."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

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

    def consent_value(self, consent):
        return {
            self.Consent.LEADERBOARD: self.show_on_leaderboard,
            self.Consent.INVITATIONS: self.accept_invitations,
        }[consent]


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
