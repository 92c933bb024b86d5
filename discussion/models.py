"""Comments on pages: the discussion below every wiki page, project, neighbourhood, commune and workshop.

A comment belongs to a `wagtailcore.Page` (the discussion app knows the page
types by their labels, so it imports no app above wiki). Replies are one or two
levels deep: `depth` 0 is a comment on the page, 1 a reply to it, 2 a reply to
a reply; `thread` is the depth-0 comment of the conversation, so a page of
conversations and all their replies come in two queries.

`state` leaves room for moderation (next): a held comment waits for a
moderator, a hidden one was taken down; only published comments are listed to
residents. A deletion by the author keeps the row (its replies stay) and the
text (moderators still read it); an edit keeps the earlier text as a
`CommentVersion`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import ModerationDecision

# (app_label, model) of the page types that have a discussion.
DISCUSSED_PAGE_TYPES = {
    ("wiki", "wikipage"),
    ("wiki", "projectpage"),
    ("wiki", "communepage"),
    ("wiki", "neighbourhoodpage"),
    ("workshops", "workshoppage"),
}
MAX_DEPTH = 2


class CommentQuerySet(models.QuerySet):
    def listed(self):
        """Comments residents see in a discussion: published ones (deleted ones show as "deleted")."""
        return self.filter(state=Comment.State.PUBLISHED)

    def counted(self):
        """Comments that count in "N comments": published and not deleted."""
        return self.listed().filter(deleted_at__isnull=True)


class Comment(models.Model):
    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Waiting for a moderator")
        HIDDEN = "hidden", _("Hidden by a moderator")

    class Role(models.TextChoices):
        NONE = "", _("Resident")
        MODERATOR = "moderator", _("Moderator")
        STAFF = "staff", _("Staff")

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="discussion_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,  # an erased account stays, anonymised (members.personal_data)
        related_name="discussion_comments",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    thread = models.ForeignKey(
        "self",
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The comment on the page that this reply belongs to (empty for a comment on the page)."),
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    body = models.TextField(_("text"))
    role = models.CharField(_("posted as"), max_length=16, choices=Role.choices, blank=True, default="")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PUBLISHED)
    created_at = models.DateTimeField(_("posted at"), db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["page", "depth", "-created_at"], name="discussion_page_threads"),
            models.Index(fields=["thread", "created_at"], name="discussion_thread_replies"),
            models.Index(fields=["author", "-created_at"], name="discussion_author_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(depth__lte=MAX_DEPTH), name="discussion_comment_depth"),
        ]

    def __str__(self):
        return f"{self.page_id}#{self.pk}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def thread_id_or_own(self):
        return self.thread_id or self.pk


class CommentVersion(models.Model):
    """The text of a comment before one edit by its author (moderators read them)."""

    comment = models.ForeignKey(Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="versions")
    body = models.TextField(_("text"))
    written_at = models.DateTimeField(_("written at"))
    replaced_at = models.DateTimeField(_("replaced at"))

    class Meta:
        verbose_name = _("earlier version of a comment")
        verbose_name_plural = _("earlier versions of comments")
        ordering = ["comment", "replaced_at", "pk"]

    def __str__(self):
        return f"{self.comment_id}@{self.replaced_at:%Y-%m-%d %H:%M}"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=Report.State.OPEN)


class Report(models.Model):
    """A member's report of a comment, a page version, a photo or a member: once per reporter and item.

    `target` is the item as the moderation log names it ("discussion.comment:12",
    "wagtailcore.revision:34", "gallery.photo:7", "members.member:5", members.activity.describe), so
    the queue groups the open reports of one item on it; the foreign key of the
    item's kind is set too. `weight` is the reporter's weight when they filed it
    (discussion.moderation.report_weight): the open reports' weights of an item
    add up to Settings > Moderation's threshold, which hides it pending review.
    A report is never deleted: a moderator's decision closes it (upheld or
    dismissed) and the moderation log keeps a REPORT line of it.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        REVISION = "revision", _("Page version")
        MEMBER = "member", _("Member")
        PHOTO = "photo", _("Photo")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    DETAILS_MAX_LENGTH = 1000

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,  # an erased account stays, anonymised (members.personal_data)
        related_name="discussion_reports",
    )
    kind = models.CharField(_("kind of item"), max_length=10, choices=Kind.choices)
    target = models.CharField(_("item"), max_length=100, db_index=True)
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("page version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    photo = models.ForeignKey(
        "gallery.Photo", verbose_name=_("photo"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The page of the comment or version reported."),
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member reported"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports_about",
        help_text=_("The member reported, or the author of the comment or version reported."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ModerationDecision.Rule.choices)
    details = models.TextField(_("details"), blank=True, max_length=DETAILS_MAX_LENGTH)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("reported at"), db_index=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "target"], name="discussion_report_open"),
            models.Index(fields=["reporter", "state"], name="discussion_report_reporter"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target"],
                name="discussion_report_once",
                violation_error_message=_("You already reported this."),
            ),
        ]

    def __str__(self):
        return f"{self.target} · {self.get_reason_display()}"
