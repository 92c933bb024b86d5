"""Questions to the town hall: services, the questions residents ask, the official answers, the history.

- `Service`: a department of the authority (roads, housing, culture...) with the
  themes and communes it covers, a target answer time in working days, the
  Wagtail group of its agents and, where answers need approval, the group of
  its validators. Staff keep the list in the Wagtail admin.
- `Question`: asked by a verified member about a page (a wiki page, project,
  workshop, neighbourhood or commune); qualified by the community manager
  (routed to a service, merged, waiting for details, declined); its clock runs
  in working days from routing to publication, paused while waiting for the asker.
- `Answer`: drafted by an agent of the service, submitted, approved by a
  validator where the service asks for it, published under the service's name;
  may later be marked out of date and point to the newer answer.
- `QuestionEvent`: the append-only history of a question (who, when, what).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from civic.mail import validate_one_line

TITLE_MAX_LENGTH = 160
BODY_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 20000


class Service(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True, validators=[validate_one_line])
    contact_email = models.EmailField(
        _("contact email"), help_text=_("Reminders before and after the deadline go here.")
    )
    description = models.TextField(_("description"), blank=True, max_length=1000)
    themes = models.ManyToManyField("wiki.Theme", verbose_name=_("themes covered"), blank=True, related_name="+")
    communes = models.ManyToManyField(
        "wiki.CommunePage",
        verbose_name=_("communes covered"),
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole territory."),
    )
    target_days = models.PositiveSmallIntegerField(
        _("target answer time (working days)"),
        default=15,
        help_text=_("Counted in French working days from routing to publication, paused while the resident is asked."),
    )
    agents = models.ForeignKey(
        Group,
        verbose_name=_("group of its agents"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Members of this group see the service's queue and draft its answers."),
    )
    validation_required = models.BooleanField(
        _("answers need approval"),
        default=False,
        help_text=_("A validator approves each answer before it is published."),
    )
    validators = models.ForeignKey(
        Group,
        verbose_name=_("group of its validators"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For instance the communication director. Staff may approve too; never the author of the answer."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("contact_email"),
        FieldPanel("description"),
        FieldPanel("themes"),
        FieldPanel("communes"),
        FieldPanel("target_days"),
        FieldPanel("agents"),
        FieldPanel("validation_required"),
        FieldPanel("validators"),
    ]

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Waiting for qualification")
        WAITING = "waiting", _("Waiting for details from the resident")
        ROUTED = "routed", _("Routed to a service")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged into another question")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.NEW, Status.WAITING, Status.ROUTED)
    FINISHED_STATUSES = (Status.ANSWERED, Status.DECLINED, Status.MERGED, Status.CLOSED)

    class DeclineReason(models.TextChoices):
        COMPETENCE = "competence", _("Not in the authority's competence")
        ANSWERED = "answered", _("Already answered")
        REPORT = "report", _("A report rather than a question")
        OTHER = "other", _("Other reason")

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,  # an erased account stays, anonymised (members.personal_data)
        related_name="questions_asked",
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("about the page"), on_delete=models.PROTECT, related_name="town_questions"
    )
    commune = models.ForeignKey(
        "wiki.CommunePage",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    theme = models.ForeignKey(
        "wiki.Theme", verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "discussion.Comment",
        verbose_name=_("from the comment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("question"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("details"), blank=True, max_length=BODY_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    decline_reason = models.CharField(_("reason"), max_length=16, choices=DeclineReason.choices, blank=True)
    decline_note = models.TextField(_("explanation"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("asked at"), db_index=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(_("waiting for the resident since"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("working days paused"), default=0)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    working_days_taken = models.PositiveIntegerField(_("working days to answer"), null=True, blank=True)
    reminded_before_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["service", "status"], name="questions_service_status")]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        """Routed and past its deadline (the rule of questions.services.overdue_q, on one row)."""
        from questions.workdays import today

        return self.status == self.Status.ROUTED and self.deadline is not None and self.deadline < today()


class QuestionFollow(models.Model):
    """A member told by email when a question is answered or closed (the asker is told without one)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow of a question")
        verbose_name_plural = _("follows of questions")
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="questions_follow_unique")]

    def __str__(self):
        return f"{self.user_id}→{self.question_id}"


class Answer(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        PUBLISHED = "published", _("Published")

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="answers")
    body = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH, help_text=_("Markdown, as in the wiki."))
    links = models.TextField(
        _("documents and links"), blank=True, max_length=4000, help_text=_("One address (https://…) a line.")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    validator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    out_of_date = models.BooleanField(_("out of date"), default=False)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_to_wiki_at = models.DateTimeField(_("added to the wiki at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=models.Q(state="published"), name="questions_one_published_answer"
            )
        ]

    def __str__(self):
        return f"{self.service} → {self.question_id}"

    def link_list(self):
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class QuestionEvent(models.Model):
    """One line of a question's history: never changed nor deleted by the application."""

    class Kind(models.TextChoices):
        ASKED = "asked", _("Asked")
        ROUTED = "routed", _("Routed")
        DETAILS_REQUESTED = "details_requested", _("Details asked of the resident")
        DETAILS_GIVEN = "details_given", _("Details given by the resident")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged")
        DRAFTED = "drafted", _("Answer drafted")
        SUBMITTED = "submitted", _("Answer submitted for approval")
        PUBLISHED = "published", _("Answer published")
        ADDED_TO_WIKI = "added_to_wiki", _("Answer added to the wiki")
        OUT_OF_DATE = "out_of_date", _("Answer marked out of date")
        REMINDED = "reminded", _("Service reminded")
        CLOSED = "closed", _("Closed")

    PUBLIC_KINDS = (
        Kind.ASKED,
        Kind.ROUTED,
        Kind.DETAILS_REQUESTED,
        Kind.DETAILS_GIVEN,
        Kind.DECLINED,
        Kind.MERGED,
        Kind.PUBLISHED,
        Kind.ADDED_TO_WIKI,
        Kind.OUT_OF_DATE,
        Kind.CLOSED,
    )

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    occurred_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("event of a question")
        verbose_name_plural = _("events of questions")
        ordering = ["occurred_at", "pk"]

    def __str__(self):
        return f"{self.question_id} {self.kind}"
