from django import forms
from django.utils.translation import gettext_lazy as _

from discussion import services
from discussion.models import Report
from members.models import ModerationDecision


class CommentForm(forms.Form):
    """A comment or a reply; `as_moderator` only for moderators and staff (left out for the others)."""

    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown, as in the wiki: **bold**, *italic*, [links](https://…), lists."),
        error_messages={"required": _("Write something before you send your comment.")},
    )
    as_moderator = forms.BooleanField(
        label=_("Post as moderator (your role is shown with the comment)"), required=False, initial=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = services.max_length()
        self.fields["body"].widget.attrs["maxlength"] = services.max_length()
        if not services.can_post_as_moderator(user):
            del self.fields["as_moderator"]

    def clean_body(self):
        try:
            return services.clean_body(self.cleaned_data["body"])
        except services.CommentRefused as refusal:
            raise forms.ValidationError(refusal.messages[0], code=refusal.code) from None

    def refuse(self, refusal):
        """Show a refusal of the service as a form error (the text stays in the form)."""
        self.add_error(None, refusal.messages)


class EditForm(CommentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("as_moderator", None)
        self.fields["body"].label = _("Text of your comment")


class DeleteForm(forms.Form):
    """Nothing to fill in: the button confirms."""


class ReportForm(forms.Form):
    """A report: the reason (a rule) and optional details. The service checks the rest."""

    reason = forms.ChoiceField(
        label=_("Why do you report this?"),
        choices=ModerationDecision.Rule.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the reason of your report."),
            "invalid_choice": _("Choose the reason of your report."),
        },
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=Report.DETAILS_MAX_LENGTH,
        help_text=_("What moderators should know: what is wrong, where. Only moderators read it."),
        error_messages={
            "max_length": _("The details have at most %(limit_value)d characters (these have %(show_value)d).")
        },
    )

    def refuse(self, refusal):
        self.add_error(None, refusal.messages)
