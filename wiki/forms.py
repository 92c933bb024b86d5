"""Forms of the public wiki: edit a page, create a page. They validate input; wiki.services acts."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civic import collation
from civic.forms import PageChoiceField
from civic.params import IdMultipleChoiceField
from wiki import territory
from wiki.markup import normalise_source
from wiki.models import (
    BODY_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    CommunePage,
    ProjectPage,
    ProjectStatus,
    Theme,
)
from wiki.services import TITLE_MAX_LENGTH
from wiki.themes import theme_ids

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, # Heading, - list item, [link text](https://…). "
    "Link to another page of the territory with [[Page title]] or [[Page title|text shown]]."
)


class MarkdownField(forms.CharField):
    """A textarea whose line endings are normalised before the length is checked."""

    def to_python(self, value):
        return normalise_source(super().to_python(value))

    def widget_attrs(self, widget):
        # No maxlength in the browser: it would cut a long paste silently; the server explains instead.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# What each fact of a project means, for residents (the model's help texts are for the admin).
PROJECT_HELP = {
    "status": _("Where the project stands: an idea, under consultation, in progress, done or abandoned."),
    "start_date": _("When the work starts or started, if you know it."),
    "end_date": _("When it ends or is expected to end, if you know it."),
    "budget": _("In euros, if known: the amount voted or announced, e.g. 125000."),
    "latitude": _("Decimal degrees between -90 and 90, e.g. 44.8812 (north is positive)."),
    "longitude": _("Decimal degrees between -180 and 180, e.g. -0.5215 (west of Greenwich is negative)."),
}


def project_fields():
    """Form fields for the facts of a project, built from the model (its validators included)."""
    fields = forms.fields_for_model(ProjectPage, fields=ProjectPage.fact_fields)
    fields["start_date"].widget = DateInput()
    fields["end_date"].widget = DateInput()
    for name in ("budget", "latitude", "longitude"):
        fields[name].widget.attrs["inputmode"] = "decimal"
        fields[name].localize = False
    for name, text in PROJECT_HELP.items():
        fields[name].help_text = text
    return fields


class PageTextForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = MarkdownField(
        label=_("Text"),
        required=False,
        strip=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
        help_text=MARKDOWN_HELP,
    )
    summary = forms.CharField(
        label=_("Edit summary"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_("In a few words, what did you change and why? Shown in the history."),
    )
    themes = IdMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the page is about: it is listed on the page of each theme you tick."),
        error_messages={
            "invalid_choice": _("One of the themes no longer exists. Reload the page and choose again."),
            "invalid_pk_value": _("One of the themes no longer exists. Reload the page and choose again."),
        },
    )

    field_order = ["title", "body", "themes", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.order_by(*collation.by("name"))

    def add_service_error(self, error):
        """Show a ValidationError raised by a service on the fields it names, or above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if self.is_project(cleaned) and (latitude is None) != (longitude is None) and not self.errors:
            raise ValidationError(_("Give both the latitude and the longitude, or neither."))
        return cleaned

    def is_project(self, cleaned):
        """Does the form describe a project (so its facts count)?"""
        return "latitude" in self.fields

    def facts(self):
        """The project's facts and the page's themes (as ids) for wiki.services."""
        facts = {name: self.cleaned_data[name] for name in ProjectPage.fact_fields if name in self.cleaned_data}
        if "themes" in self.cleaned_data:
            facts["themes"] = theme_ids(self.cleaned_data["themes"])
        return facts


class EditForm(PageTextForm):
    """Edit a page; `base_revision_id` is the revision the editor started from."""

    # Checked by the service: a missing or forged value gets a clear message, not a field error.
    base_revision_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project=False, **kwargs):
        super().__init__(*args, **kwargs)
        if project:
            self.fields.update(project_fields())
            self.order_fields(["title", *ProjectPage.fact_fields, "body", "themes", "summary"])


class NewPageForm(PageTextForm):
    kind = forms.ChoiceField(
        label=_("Kind of page"),
        choices=[("wiki", _("An article (a place, a service, a topic)")), ("project", _("A project"))],
        widget=forms.RadioSelect,
        initial="wiki",
    )

    field_order = ["kind", "title", "body", "themes", "summary"]

    def __init__(self, *args, kinds=("wiki", "project"), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [choice for choice in self.fields["kind"].choices if choice[0] in kinds]
        if len(kinds) == 1:
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = kinds[0]
        self.fields["summary"].help_text = _("Optional: a word about this new page, shown in the history.")
        if "project" in kinds:
            for name, field in project_fields().items():
                field.required = False
                self.fields[name] = field

    def is_project(self, cleaned):
        return cleaned.get("kind") == "project"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != "project":
            for name in ProjectPage.fact_fields:
                cleaned.pop(name, None)
                self.errors.pop(name, None)  # an article has no project facts: what was typed there is ignored
        elif not cleaned.get("status"):
            cleaned["status"] = ProjectPage._meta.get_field("status").default
        return cleaned


class ThemeFilterForm(forms.Form):
    """The query string of a theme's page: ?commune=<slug>&status=<status>."""

    commune = PageChoiceField(
        label=_("Commune"),
        queryset=CommunePage.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All communes"),
        error_messages={"invalid_choice": _("Unknown commune: choose one from the list.")},
    )
    status = forms.ChoiceField(
        label=_("Project status"),
        choices=[("", _("All statuses")), *ProjectStatus.choices],
        required=False,
        error_messages={"invalid_choice": _("Unknown status “%(value)s”: choose one from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = territory.communes()


class MoveForm(forms.Form):
    title = forms.CharField(label=_("New title"), max_length=TITLE_MAX_LENGTH)
    parent = forms.TypedChoiceField(label=_("Place"), coerce=int, help_text=_("Where the page belongs."))
    summary = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_("Why rename or move it? Shown in the history."),
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = territory.place_choices(page)

    def add_service_error(self, error):
        PageTextForm.add_service_error(self, error)
