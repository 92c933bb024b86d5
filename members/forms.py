from django import forms
from django.contrib.auth.models import Group
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from civic.forms import PageChoiceField
from civic.params import IdChoiceField
from members import visibility
from members.models import Member, pseudonym_validator
from members.roles import RESIDENTS
from members.scoring import PERIOD_LABELS
from members.services import update_profile
from members.themes import themes


def place_models():
    """(commune model, neighbourhood model): those of the member's home fields.

    The territory's pages belong to the wiki, which sits above members: taking
    them from the fields keeps members free of wiki imports.
    """
    return (
        Member._meta.get_field("commune").related_model,
        Member._meta.get_field("neighbourhood").related_model,
    )


class _ByCommuneIterator(forms.models.ModelChoiceIterator):
    """The neighbourhoods as one <optgroup> per commune (communes and neighbourhoods by title), in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        commune_title = Page.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
        ).values("title")[:1]
        rows = (
            self.queryset.annotate(commune_title=Subquery(commune_title))
            .order_by("commune_title", "title", "pk")
            .values_list("pk", "title", "commune_title")
        )
        groups = {}
        for pk, title, commune in rows:
            groups.setdefault(commune, []).append((pk, title))
        yield from groups.items()


class NeighbourhoodChoiceField(PageChoiceField):
    """The one choice of a neighbourhood: grouped by commune, so that the "Le Bourg" of one commune
    is never taken for another's. Used by sign-up, /me/, the leaderboard and the staff report."""

    iterator = _ByCommuneIterator


def places():
    """(communes, neighbourhoods): the live ones the public may see (members.visibility), by title."""
    commune_model, neighbourhood_model = place_models()
    return (
        visibility.visible(commune_model.objects.live(), None).order_by("title"),
        visibility.visible(neighbourhood_model.objects.live(), None).order_by("title"),
    )


class ProfileFieldsForm(forms.Form):
    """Pseudonym, home territory and consents: shared by sign-up and /me/."""

    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=40,
        validators=[pseudonym_validator],
        help_text=_("The name other residents see (3 to 40 characters)."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    commune = IdChoiceField(
        label=_("Home commune"),
        queryset=None,
        required=False,
        empty_label=_("— Not given —"),
    )
    neighbourhood = NeighbourhoodChoiceField(
        label=_("Neighbourhood"),
        queryset=None,
        required=False,
        empty_label=_("— Not given —"),
        help_text=_("Optional. It must be in your home commune."),
    )
    show_on_leaderboard = forms.BooleanField(
        label=_("Show me on the public leaderboard"),
        required=False,
        help_text=_(
            "Your pseudonym and points appear on the public leaderboard. You can change your mind at any time."
        ),
    )
    accept_invitations = forms.BooleanField(
        label=_("Invite me to workshops"),
        required=False,
        help_text=_("The community team may email you invitations to local workshops."),
    )

    def __init__(self, *args, member=None, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset, self.fields["neighbourhood"].queryset = places()

    def clean_pseudonym(self):
        pseudonym = " ".join(self.cleaned_data["pseudonym"].split())
        taken = Member.objects.filter(pseudonym__iexact=pseudonym)
        if self.member is not None:
            taken = taken.exclude(pk=self.member.pk)
        if taken.exists():
            raise forms.ValidationError(_("This pseudonym is already taken. Please choose another one."))
        return pseudonym

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune")
        neighbourhood = cleaned.get("neighbourhood")
        if neighbourhood is not None:
            if commune is None:
                cleaned["commune"] = place_models()[0].objects.parent_of(neighbourhood).first()
            elif not neighbourhood.path.startswith(commune.path):
                self.add_error(
                    "neighbourhood",
                    _("%(neighbourhood)s is not in %(commune)s. Choose a neighbourhood of your home commune.")
                    % {"neighbourhood": neighbourhood.title, "commune": commune.title},
                )
        return cleaned

    def save_profile(self, member):
        return update_profile(member, **{name: self.cleaned_data[name] for name in ProfileFieldsForm.base_fields})


class ProfileForm(ProfileFieldsForm):
    def __init__(self, *args, member, **kwargs):
        initial = {
            "pseudonym": member.pseudonym,
            "commune": member.commune_id,
            "neighbourhood": member.neighbourhood_id,
            "show_on_leaderboard": member.show_on_leaderboard,
            "accept_invitations": member.accept_invitations,
        }
        super().__init__(*args, member=member, initial=initial, **kwargs)


class SignupProfileForm(ProfileFieldsForm):
    """Extra sign-up fields for django-allauth (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request, user):
        self.save_profile(user.member)
        user.groups.add(Group.objects.get_or_create(name=RESIDENTS)[0])


class LeaderboardFilterForm(forms.Form):
    """The leaderboard's query string: ?period=7d|30d|12m|all&commune=<id>&neighbourhood=<id>&theme=<slug>."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=list(PERIOD_LABELS.items()),
        required=False,
        error_messages={
            "invalid_choice": _("Unknown period “%(value)s”: choose 7 days, 30 days, 12 months or all time.")
        },
    )
    commune = PageChoiceField(
        label=_("Commune"),
        queryset=None,
        required=False,
        empty_label=_("All communes"),
        error_messages={"invalid_choice": _("Unknown commune: choose one from the list.")},
    )
    neighbourhood = NeighbourhoodChoiceField(
        label=_("Neighbourhood"),
        queryset=None,
        required=False,
        empty_label=_("All neighbourhoods"),
        error_messages={"invalid_choice": _("Unknown neighbourhood: choose one from the list.")},
    )
    theme = IdChoiceField(
        label=_("Theme"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
        help_text=_("Only contributions to the wiki pages and projects of this theme count."),
        error_messages={"invalid_choice": _("Unknown theme: choose one from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset, self.fields["neighbourhood"].queryset = places()
        self.fields["theme"].queryset = themes()

    def clean_period(self):
        return self.cleaned_data.get("period") or "all"

    def clean(self):
        cleaned = super().clean()
        commune, neighbourhood = cleaned.get("commune"), cleaned.get("neighbourhood")
        if commune and neighbourhood and not neighbourhood.path.startswith(commune.path):
            self.add_error(
                "neighbourhood",
                _("%(neighbourhood)s is not in %(commune)s.")
                % {"neighbourhood": neighbourhood.title, "commune": commune.title},
            )
        return cleaned

    @property
    def territory(self):
        return self.cleaned_data.get("neighbourhood") or self.cleaned_data.get("commune")


class DeleteAccountForm(forms.Form):
    """Confirm the deletion of one's account with one's password."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class EngagementReportForm(LeaderboardFilterForm):
    """The staff report's query string: the leaderboard filters, a sort order and a format."""

    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("score", _("Points")),
            ("pseudonym", _("Pseudonym")),
            ("last", _("Last contribution")),
            ("contributions", _("Contributions")),
            ("attended", _("Workshops attended")),
            ("no_shows", _("No-shows")),
        ],
        required=False,
        error_messages={"invalid_choice": _("Unknown sort order “%(value)s”: choose one from the list.")},
    )
    never_attended = forms.BooleanField(label=_("Never attended a workshop"), required=False)
    format = forms.ChoiceField(
        choices=[("html", "HTML"), ("csv", "CSV"), ("xlsx", "XLSX")],
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Unknown format “%(value)s”: choose CSV or spreadsheet.")},
    )

    def clean_sort(self):
        return self.cleaned_data.get("sort") or "score"

    def clean_format(self):
        return self.cleaned_data.get("format") or "html"
