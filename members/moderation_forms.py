"""Forms of moderation: a member's appeal, a sanction and the review of an appeal (admin)."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import ModerationDecision
from members.services import APPEAL_MAX_LENGTH

TEXT_MAX_LENGTH = 4000

MUTE_DURATIONS = {
    "1d": (timedelta(days=1), _("1 day")),
    "3d": (timedelta(days=3), _("3 days")),
    "7d": (timedelta(days=7), _("1 week")),
    "30d": (timedelta(days=30), _("1 month")),
    "90d": (timedelta(days=90), _("3 months")),
}
BLOCK_DURATIONS = {**MUTE_DURATIONS, "forever": (None, _("Until lifted (blocks only)"))}


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why do you contest this decision?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=APPEAL_MAX_LENGTH,
        help_text=_("A moderator other than the one who decided reads it. You can contest a decision once."),
        error_messages={"required": _("Say why you contest this decision.")},
    )


class SanctionForm(forms.Form):
    WARN, MUTE, BLOCK = "warn", "mute", "block"

    action = forms.ChoiceField(
        label=_("Sanction"),
        widget=forms.RadioSelect,
        choices=[
            (WARN, _("Warn: a message they must acknowledge before posting again")),
            (MUTE, _("Mute: no posting for a while (they still read and edit their profile)")),
            (BLOCK, _("Block: no contribution at all for a while or until lifted")),
        ],
        error_messages={"required": _("Choose a sanction."), "invalid_choice": _("Choose a sanction from the list.")},
    )
    duration = forms.ChoiceField(
        label=_("Duration (mute or block)"),
        choices=[(key, label) for key, (_delta, label) in BLOCK_DURATIONS.items()],
        initial="7d",
        required=False,
        error_messages={"invalid_choice": _("Choose a duration from the list.")},
    )
    rule = forms.ChoiceField(
        label=_("Rule"),
        choices=ModerationDecision.Rule.choices,
        error_messages={"required": _("Choose the rule."), "invalid_choice": _("Choose a rule from the list.")},
    )
    statement = forms.CharField(
        label=_("Statement of reasons told to the member"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Sent by email and shown on their profile page: which item, which rule, what happens next."),
        error_messages={"required": _("Write the statement of reasons: the member will read it.")},
    )
    note = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        help_text=_("For moderators only."),
    )

    def clean(self):
        cleaned = super().clean()
        action, duration = cleaned.get("action"), cleaned.get("duration")
        if action in (self.MUTE, self.BLOCK) and not duration:
            self.add_error("duration", gettext("Choose how long the sanction lasts."))
        elif action == self.MUTE and duration == "forever":
            self.add_error("duration", gettext("A mute has an end: choose a duration."))
        if "statement" in cleaned and not cleaned["statement"].strip():
            self.add_error("statement", gettext("Write the statement of reasons: the member will read it."))
        return cleaned

    def ends_at(self, now):
        delta = BLOCK_DURATIONS[self.cleaned_data["duration"]][0]
        return None if delta is None else now + delta


def statement_template(member, source=None, rule=""):
    """The statement of reasons offered to the moderator: which item, which rule, what happens next, appeal."""
    parts = []
    if source is not None and source.target_label:
        parts.append(gettext("This decision is about: %(item)s.") % {"item": source.target_label})
    rule_label = dict(ModerationDecision.Rule.choices).get(rule) if rule else None
    if rule_label:
        parts.append(gettext("It applies the rule of Quartiers: “%(rule)s”.") % {"rule": rule_label})
    else:
        parts.append(gettext("It applies the rule of Quartiers: [name the rule]."))
    parts.append(gettext("What was wrong: [explain in a few words]."))
    parts.append(
        gettext(
            "What happens next is written under this message on your profile page. You can contest this "
            "decision once, from that page: a moderator other than the one who decided will review it."
        )
    )
    return "\n\n".join(parts)


class AppealReviewForm(forms.Form):
    GRANT, REJECT = "grant", "reject"

    outcome = forms.ChoiceField(
        label=_("Decision on the appeal"),
        widget=forms.RadioSelect,
        choices=[
            (GRANT, _("Grant: reverse the decision (restore the item, lift the mute or block, withdraw the warning)")),
            (REJECT, _("Reject: the decision stands")),
        ],
        error_messages={
            "required": _("Grant or reject the appeal."),
            "invalid_choice": _("Grant or reject the appeal."),
        },
    )
    statement = forms.CharField(
        label=_("Reason told to the member"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"required": _("Give the reason: the member will read it.")},
    )
    note = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH, required=False
    )
