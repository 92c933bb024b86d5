"""Workshops (ateliers): the index, the workshop pages, registrations and their history."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from civic.params import date_out_of_range

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def new_registration_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def new_feed_secret():
    return secrets.token_urlsafe(32)


class WorkshopIndexPage(RoutablePageMixin, Page):
    """The list of workshops (in the demo at /workshops/)."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    parent_page_types = ["wiki.HomePage"]
    subpage_types = ["workshops.WorkshopPage"]
    max_count_per_parent = 1

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("workshop index")

    def workshops(self, user=None):
        """The live workshops of this index that `user` may see (None: the public; members.visibility)."""
        from members import visibility

        return visibility.visible(WorkshopPage.objects.child_of(self).live(), user).select_related("commune")

    # Routes delegate to workshops.views: the model stays declarative.
    @path("")
    def index_view(self, request):
        from workshops import views

        return views.workshop_index(request, self)

    @re_path(r"^calendar\.ics/$", name="calendar")
    def calendar_view(self, request):
        from workshops import views

        return views.index_calendar(request, self)

    def subpage_url(self, name):
        sub = self.reverse_subpage(name)
        # Files (.ics, .csv) have no trailing slash (see workshops.ics_urls).
        return self.url + (sub.rstrip("/") if sub.endswith((".ics/", ".csv/")) else sub)


class WorkshopPage(RoutablePageMixin, Page):
    class Mode(models.TextChoices):
        OPEN = "open", _("Open to any verified member")
        INVITATION = "invitation", _("By invitation only")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    description = RichTextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue_name = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    commune = models.ForeignKey(
        "wiki.CommunePage",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    accessibility = models.TextField(
        _("venue accessibility"),
        blank=True,
        help_text=_("Step-free access, lift, toilets, hearing loop, nearest stop..."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    registration_mode = models.CharField(_("registration"), max_length=12, choices=Mode.choices, default=Mode.OPEN)
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Empty: registration closes at the start.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    ics_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    writeup = RichTextField(_("write-up"), blank=True)
    attendee_count = models.PositiveIntegerField(_("attendees"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    parent_page_types = ["workshops.WorkshopIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("description"), index.SearchField("venue_name")]

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("When")),
        MultiFieldPanel(
            [FieldPanel("venue_name"), FieldPanel("address"), FieldPanel("commune"), FieldPanel("accessibility")],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [FieldPanel("capacity"), FieldPanel("registration_mode"), FieldPanel("registration_deadline")],
            heading=_("Registration"),
        ),
        FieldPanel("status"),
        InlinePanel("related_pages", label=_("Wiki pages it is about")),
        FieldPanel("writeup"),
        FieldPanel("attendee_count"),
    ]

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    @path("")
    def detail_view(self, request):
        from workshops import views

        return views.workshop_detail(request, self)

    @re_path(r"^event\.ics/$", name="event")
    def event_view(self, request):
        from workshops import views

        return views.workshop_event(request, self)

    @path("register/", name="register")
    def register_view(self, request):
        from workshops import views

        return views.workshop_register(request, self)

    @path("cancel/", name="cancel")
    def cancel_view(self, request):
        from workshops import views

        return views.workshop_cancel_registration(request, self)

    @path("check-in/", name="check-in")
    def check_in_view(self, request):
        from workshops import views

        return views.check_in(request, self)

    # One URL per action of the check-in page (workshops.views.CHECK_IN_ACTIONS), e.g. check-in/mark/.
    @re_path(r"^check-in/(?P<action>[a-z-]+)/$", name="check-in-action")
    def check_in_action_view(self, request, action):
        from workshops import views

        return views.check_in_action(request, self, action)

    @re_path(r"^check-in/attendees\.csv/$", name="attendees-csv")
    def attendees_csv_view(self, request):
        from workshops import views

        return views.attendees_csv(request, self)

    @path("invite/", name="invite")
    def invite_view(self, request):
        from workshops import views

        return views.invite(request, self)

    def subpage_url(self, name):
        sub = self.reverse_subpage(name)
        # Files (.ics, .csv) have no trailing slash (see workshops.ics_urls).
        return self.url + (sub.rstrip("/") if sub.endswith((".ics/", ".csv/")) else sub)

    def clean(self):
        super().clean()
        errors = {}
        for name in ("starts_at", "ends_at", "registration_deadline"):
            value = getattr(self, name)
            if value and (error := date_out_of_range(value, years=50)):  # old workshops stay editable
                errors[name] = error
        if errors:
            raise ValidationError(errors)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        if self.registration_deadline and self.starts_at and self.registration_deadline > self.starts_at:
            errors["registration_deadline"] = _("The registration deadline must be before the start.")
        if self.pk and self.capacity is not None:
            confirmed = self.confirmed_count()
            if self.capacity < confirmed:
                errors["capacity"] = _("The capacity cannot be lower than the %(count)s members already confirmed.") % {
                    "count": confirmed
                }
        if errors:
            raise ValidationError(errors)

    # -- reading -----------------------------------------------------------
    @property
    def uid(self):
        return f"workshop-{self.pk}@quartiers"

    @property
    def deadline(self):
        return self.registration_deadline or self.starts_at

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self):
        return self.ends_at <= timezone.now()

    def registration_open(self, now=None):
        return not self.is_cancelled and (now or timezone.now()) < self.deadline

    def confirmed_count(self):
        return self.registrations.filter(status__in=Registration.SEAT_TAKING).count()

    def seats_left(self):
        return max(0, self.capacity - self.confirmed_count())

    def full_url_or_path(self):
        return self.get_full_url() or self.url


def open_for_invitations(now=None):
    """Upcoming workshops staff can still invite to: live, scheduled, registration not closed.

    The queryset twin of `WorkshopPage.registration_open` for scheduled workshops
    starting later; the one list of "upcoming workshops" of the invitation screens
    (the engaged-residents report, /workshops-rsvp/invite/).
    """
    now = now or timezone.now()
    return (
        WorkshopPage.objects.live()
        .filter(status=WorkshopPage.Status.SCHEDULED, starts_at__gt=now)
        .filter(models.Q(registration_deadline__isnull=True) | models.Q(registration_deadline__gt=now))
        .order_by("starts_at", "pk")
    )


class WorkshopRelatedPage(Orderable):
    workshop = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="related_pages")
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("related wiki page")


class InvitationWave(models.Model):
    """Seats reserved for the most engaged residents, invited down the ranked list.

    When an invitee declines or lets `answer_within_hours` pass, the next
    eligible member is invited (workshops.waves), until the reserved seats
    are filled or the list runs out.
    """

    class Period(models.TextChoices):
        WEEK = "7d", _("7 days")
        MONTH = "30d", _("30 days")
        YEAR = "12m", _("12 months")
        ALL = "all", _("All time")

    workshop = models.ForeignKey(WorkshopPage, on_delete=models.CASCADE, related_name="waves")
    reserved_seats = models.PositiveIntegerField(_("seats reserved for invitees"))
    answer_within_hours = models.PositiveIntegerField(_("hours to answer an invitation"), default=72)
    period = models.CharField(_("engagement over"), max_length=4, choices=Period.choices, default=Period.YEAR)
    commune = models.ForeignKey(
        "wiki.CommunePage",
        verbose_name=_("commune"),
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
    min_per_neighbourhood = models.PositiveIntegerField(_("at least N per neighbourhood"), default=0)
    min_newcomers = models.PositiveIntegerField(_("at least N who never attended a workshop"), default=0)
    max_per_month = models.PositiveIntegerField(_("invitations per member per month, at most"), default=2)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation wave")
        verbose_name_plural = _("invitation waves")

    def __str__(self):
        return f"{self.workshop} · {self.reserved_seats}"


class RegistrationQuerySet(models.QuerySet):
    def with_waitlist_position(self):
        """Annotate `waitlist_rank` (1 = next to get a seat; None off the list) in the same query."""
        earlier = (
            Registration.objects.filter(
                workshop_id=models.OuterRef("workshop_id"), status=Registration.Status.WAITLISTED
            )
            .filter(
                models.Q(waitlisted_at__lt=models.OuterRef("waitlisted_at"))
                | models.Q(waitlisted_at=models.OuterRef("waitlisted_at"), pk__lt=models.OuterRef("pk"))
            )
            .order_by()
            .values("workshop_id")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        position = Coalesce(models.Subquery(earlier), 0) + 1
        return self.annotate(
            waitlist_rank=models.Case(models.When(status=Registration.Status.WAITLISTED, then=position), default=None)
        )


class Registration(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Present")
        ABSENT = "absent", _("Absent")

    # Statuses that occupy a seat.
    SEAT_TAKING = (Status.CONFIRMED, Status.ATTENDED)
    # Statuses of people who expect to hear about the workshop.
    ACTIVE = (Status.INVITED, Status.CONFIRMED, Status.WAITLISTED)

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    workshop = models.ForeignKey(
        WorkshopPage, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Only the SHA-256 of the RSVP token is kept; each email carries a fresh token.
    rsvp_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    code = models.CharField(_("registration code"), max_length=8, unique=True, default=new_registration_code)
    attendance = models.ForeignKey(
        "members.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    wave = models.ForeignKey(
        InvitationWave, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    answer_by = models.DateTimeField(_("answer expected by"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("last email sent"), null=True, blank=True)
    email_error = models.TextField(_("email error"), blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["member", "workshop"], name="registration_unique_member")]
        indexes = [models.Index(fields=["workshop", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.member} · {self.workshop} · {self.status}"

    def issue_token(self):
        """A fresh RSVP token (returned once, stored hashed); earlier links stop working."""
        raw = secrets.token_urlsafe(32)
        self.rsvp_token_hash = hash_token(raw)
        type(self).objects.filter(pk=self.pk).update(rsvp_token_hash=self.rsvp_token_hash)
        return raw

    def waitlist_position(self):
        """1 for the next on the waiting list (None off it). `with_waitlist_position()` computes it for a list."""
        if "waitlist_rank" in self.__dict__:
            return self.waitlist_rank
        if self.status != self.Status.WAITLISTED:
            return None
        earlier = self.workshop.registrations.filter(status=self.Status.WAITLISTED).filter(
            models.Q(waitlisted_at__lt=self.waitlisted_at) | models.Q(waitlisted_at=self.waitlisted_at, pk__lt=self.pk)
        )
        return earlier.count() + 1


class RegistrationChange(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("from"), max_length=12, choices=Registration.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Registration.Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("registration change")
        verbose_name_plural = _("registration changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class CalendarFeed(models.Model):
    """The secret of a member's private calendar feed; resetting it changes the URL."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="calendar_feed")
    secret = models.CharField(max_length=64, unique=True, default=new_feed_secret)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")

    def __str__(self):
        return f"{self.member}"
