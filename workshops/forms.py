from django import forms
from django.utils.translation import gettext_lazy as _

from civic import collation
from civic.forms import PageChoiceField
from civic.params import BoundedDateTimeField, BoundedIntegerField, IdChoiceField, IdField, IdMultipleChoiceField
from members.models import Member
from wiki import territory
from workshops.models import open_for_invitations


class CommuneFilterForm(forms.Form):
    commune = PageChoiceField(
        label=_("Commune"),
        queryset=territory.communes(),
        required=False,
        empty_label=_("All communes"),
    )


class RegistrationActionForm(forms.Form):
    """An action of the check-in page on one registration of this workshop (its id in a hidden field)."""

    registration = IdField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a registration."), "invalid": _("This registration does not exist.")},
    )

    def __init__(self, *args, workshop, **kwargs):
        self.workshop = workshop
        super().__init__(*args, **kwargs)

    def clean_registration(self):
        registration = (
            self.workshop.registrations.select_related("member").filter(pk=self.cleaned_data["registration"]).first()
        )
        if registration is None:
            raise forms.ValidationError(_("This registration does not exist."), code="invalid")
        return registration


class CheckInForm(RegistrationActionForm):
    """Mark a registrant present (1) or absent (0)."""

    present = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda v: v == "1",
        error_messages={
            "required": _("Say whether the member is present or absent."),
            "invalid_choice": _("Say whether the member is present or absent."),
        },
    )


class ResendForm(RegistrationActionForm):
    """Queue the last email of a registration again (after a delivery failure)."""


class CodeSearchForm(forms.Form):
    q = forms.CharField(label=_("Registration code or pseudonym"), max_length=40, required=False)


class WalkInForm(forms.Form):
    email = forms.EmailField(label=_("Email of the member"), help_text=_("The member must have an account."))


class InviteSearchForm(forms.Form):
    q = forms.CharField(label=_("Find members by pseudonym or email"), max_length=80, required=False)


class InviteForm(forms.Form):
    members = IdMultipleChoiceField(label=_("Members to invite"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = queryset
        self.fields["members"].label_from_instance = lambda m: (
            f"{m.pseudonym}" + ("" if m.accept_invitations else " — " + str(_("not invitable: no consent")))
        )


class CapacityForm(forms.Form):
    capacity = BoundedIntegerField(label=_("Capacity"), min_value=0, max_value=10000)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RescheduleForm(forms.Form):
    # Within 5 years of today: year 1 or 9999 overflow the reminders' and calendars' date arithmetic.
    starts_at = BoundedDateTimeField(label=_("Starts at"), widget=LocalDateTimeInput(), years=5)
    ends_at = BoundedDateTimeField(label=_("Ends at"), widget=LocalDateTimeInput(), years=5)
    venue_name = forms.CharField(label=_("Venue"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class CancelWorkshopForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, cancel the workshop and notify everyone registered"))


# The longest an invitee may take to answer: a month. More overflows the date arithmetic of the deadline.
MAX_ANSWER_HOURS = 24 * 31


class WaveForm(forms.ModelForm):
    reserved_seats = BoundedIntegerField(label=_("seats reserved for invitees"), min_value=1, max_value=10000)
    answer_within_hours = BoundedIntegerField(
        label=_("hours to answer an invitation"),
        min_value=1,
        max_value=MAX_ANSWER_HOURS,
        initial=72,
        error_messages={
            "max_value": _("Give invitees at most %(limit_value)s hours (a month) to answer."),
            "min_value": _("Give invitees at least one hour to answer."),
        },
    )
    min_per_neighbourhood = BoundedIntegerField(
        label=_("at least N per neighbourhood"), min_value=0, max_value=10000, initial=0
    )
    min_newcomers = BoundedIntegerField(
        label=_("at least N who never attended a workshop"), min_value=0, max_value=10000, initial=0
    )
    max_per_month = BoundedIntegerField(
        label=_("invitations per member per month, at most"), min_value=0, max_value=100, initial=2
    )

    class Meta:
        from workshops.models import InvitationWave

        model = InvitationWave
        fields = [
            "reserved_seats",
            "answer_within_hours",
            "period",
            "commune",
            "neighbourhood",
            "min_per_neighbourhood",
            "min_newcomers",
            "max_per_month",
        ]
        field_classes = {"commune": IdChoiceField, "neighbourhood": IdChoiceField}

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        for name in ("commune", "neighbourhood"):
            self.fields[name].queryset = self.fields[name].queryset.live().order_by(*collation.by("title"))

    def clean_reserved_seats(self):
        seats = self.cleaned_data["reserved_seats"]
        if seats < 1 or seats > self.workshop.capacity:
            raise forms.ValidationError(
                _("Reserve between 1 and %(capacity)s seats.") % {"capacity": self.workshop.capacity}
            )
        return seats


class CloseForm(forms.Form):
    writeup = forms.CharField(
        label=_("Write-up"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("Published on the workshop page and added to the wiki pages it was about."),
    )
    attendee_count = BoundedIntegerField(label=_("Number of attendees"), min_value=0, max_value=100000)


class InviteFromReportForm(forms.Form):
    """The rows selected on the engaged-residents report (members) and the workshop to invite them to."""

    members = IdMultipleChoiceField(
        label=_("Residents"),
        queryset=Member.objects.none(),
        error_messages={
            "required": _("Select at least one resident to invite."),
            "invalid_choice": _("One of the selected residents no longer exists. Reload the report."),
            "invalid_pk_value": _("One of the selected residents no longer exists. Reload the report."),
        },
    )
    workshop = IdChoiceField(
        label=_("Invite the selected residents to"),
        queryset=Member.objects.none(),
        empty_label=_("— Choose an upcoming workshop —"),
        error_messages={
            "required": _("Choose the workshop to invite them to."),
            "invalid_choice": _("This workshop is not open for invitations any more. Choose another one."),
        },
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Member.objects.select_related("user")
        self.fields["workshop"].queryset = open_for_invitations()
