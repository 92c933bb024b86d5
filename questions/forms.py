"""The forms of questions: each one validates its input with clear, translated messages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.params import IdChoiceField, IdField, parse_text
from questions import services
from questions.models import ANSWER_MAX_LENGTH, BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Question, Service
from wiki.models import Theme


class _ActionForm(forms.Form):
    """A form shown beside others on a question's page: its own prefix for the fields' ids (never twice the same id)."""

    id_prefix = "question"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class _ServiceCleaned(_ActionForm):
    """A field whose text a service cleans: its refusal becomes the field's error."""

    def _through(self, name, cleaner):
        try:
            return cleaner(self.cleaned_data.get(name, ""))
        except services.QuestionRefused as refusal:
            raise forms.ValidationError(refusal.messages[0], code=refusal.code) from None

    def refuse(self, refusal):
        self.add_error(None, refusal.messages)


class AskForm(_ServiceCleaned):
    id_prefix = "ask"

    page = IdField(widget=forms.HiddenInput, required=False)
    commune = IdChoiceField(
        label=_("Commune"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("Choose the commune"),
        help_text=_("Where does your question apply?"),
    )
    theme = IdChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=True,
        empty_label=_("Choose a theme"),
        error_messages={"required": _("Choose a theme.")},
    )
    title = forms.CharField(
        label=_("Your question"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Write your question.")},
        help_text=_("One sentence, as you would ask it at the town hall's desk."),
    )
    body = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where, since when, what you have already tried. No personal data about others."),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, page=None, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.target_page = user, page
        self.fields["commune"].queryset = communes
        if page is not None:
            self.fields["page"].initial = page.pk
            del self.fields["commune"]
        else:
            self.fields["commune"].required = True
            self.fields["commune"].error_messages["required"] = _("Choose the commune.")

    def clean_title(self):
        return self._through("title", services.clean_title)

    def clean_body(self):
        return self._through("body", services.clean_body)


class RouteForm(_ActionForm):
    id_prefix = "route"

    service = IdChoiceField(
        label=_("Service"),
        queryset=Service.objects.all(),
        empty_label=_("Choose a service"),
        error_messages={"required": _("Choose a service.")},
    )
    deadline = forms.DateField(
        label=_("Deadline (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the service's target, in working days from today."),
    )
    note = forms.CharField(
        label=_("Note for the service (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."), code="deadline_past")
        if deadline is not None and deadline.year > timezone.localdate().year + 2:
            raise forms.ValidationError(_("Choose a deadline within two years."), code="deadline_far")
        return deadline


class MergeForm(_ActionForm):
    id_prefix = "merge"

    into = IdField(
        label=_("Number of the question it duplicates"),
        error_messages={"required": _("Give the number of the question.")},
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)

    def clean_into(self):
        pk = self.cleaned_data["into"]
        question = Question.objects.filter(pk=pk).select_related("page").first()
        if question is None:
            raise forms.ValidationError(_("There is no question with this number."), code="unknown")
        return question


class DetailsRequestForm(_ActionForm):
    id_prefix = "request"

    note = forms.CharField(
        label=_("What do you need to know?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what you need to know.")},
    )


class DetailsForm(_ServiceCleaned):
    id_prefix = "details"

    details = forms.CharField(
        label=_("Your details"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the details.")},
    )


class DeclineForm(_ActionForm):
    id_prefix = "decline"

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=Question.DeclineReason.choices,
        error_messages={"required": _("Choose a reason."), "invalid_choice": _("Choose a reason.")},
    )
    note = forms.CharField(
        label=_("Explanation for the resident"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(_ActionForm):
    id_prefix = "close"

    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class AnswerForm(_ServiceCleaned):
    id_prefix = "answer"

    body = forms.CharField(
        label=_("The answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown, as in the wiki. It is published under the service's name."),
        error_messages={"required": _("Write the answer.")},
    )
    links = forms.CharField(
        label=_("Documents and links (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One address (https://…) a line: a decree, a map, a form."),
    )

    def clean_body(self):
        return self._through("body", services.clean_answer)

    def clean_links(self):
        return self._through("links", services.clean_links)


class OutOfDateForm(_ActionForm):
    id_prefix = "outdated"

    replaced_by = IdField(label=_("Number of the question with the newer answer (optional)"), required=False)
    note = forms.CharField(label=_("What changed"), required=False, max_length=2000)

    def clean_replaced_by(self):
        from questions.models import Answer

        pk = self.cleaned_data.get("replaced_by")
        if pk is None:
            return None
        answer = Answer.objects.filter(question_id=pk, state=Answer.State.PUBLISHED).first()
        if answer is None:
            raise forms.ValidationError(_("That question has no published answer."), code="unknown")
        return answer


class FilterForm(forms.Form):
    """The filters of /questions/: unknown values are ignored, never an error."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    commune = forms.CharField(label=_("Commune"), required=False, max_length=100)
    theme = forms.CharField(label=_("Theme"), required=False, max_length=100)
    service = IdField(label=_("Service"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), ("answered", _("Answered"))],
    )

    def values(self):
        if not self.is_valid():
            return {"q": parse_text(self.data.get("q"), max_length=100) or ""}
        return self.cleaned_data


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button confirms (validate, add to the wiki, follow)."""
