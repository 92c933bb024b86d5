"""The Wagtail admin screen for blocks (Moderators and Staff).

Creating a block goes through members.services.block_member, lifting one
through members.services.lift_block; blocks are never deleted (history).
"""

from datetime import timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from members.access import (
    blockable_members,
    can_sanction,
    can_view_engagement_report,
    moderator_q,
    sanction_q,
    users,
    why_cannot_sanction,
)
from members.models import Block, Member
from members.services import block_member, lift_block

DURATIONS = {
    "1d": (timedelta(days=1), _("1 day")),
    "3d": (timedelta(days=3), _("3 days")),
    "7d": (timedelta(days=7), _("1 week")),
    "30d": (timedelta(days=30), _("1 month")),
    "90d": (timedelta(days=90), _("3 months")),
    "forever": (None, _("Until lifted")),
}


class BlockPermissionPolicy(BasePermissionPolicy):
    """Moderators and staff see blocks; those who may sanction (members.access.can_sanction: the senior
    tier, or every moderator where staff allow it) add and lift them; nobody deletes one."""

    ACTIONS = ("add", "change", "view")

    def user_has_permission(self, user, action):
        if action not in self.ACTIONS:
            return False
        if action == "view":
            return can_view_engagement_report(user)
        return can_sanction(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        if not any(action in self.ACTIONS for action in actions):
            return get_user_model().objects.none()
        if "view" in actions:
            return users(moderator_q())
        return users(sanction_q())


class BlockForm(forms.ModelForm):
    duration = forms.ChoiceField(
        label=_("Duration"),
        choices=[(key, label) for key, (_delta, label) in DURATIONS.items()],
        initial="7d",
        error_messages={"invalid_choice": _("Choose a duration from the list.")},
    )

    class Meta:
        model = Block
        fields = ["member", "reason"]
        help_texts = {"reason": _("The member is told this reason by email and on their profile page.")}

    def __init__(self, *args, **kwargs):
        self.for_user = kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(user__is_active=True).select_related("user").order_by("pseudonym")
        # The list offers only those this user may block; clean_member says why another is refused.
        self.fields["member"].queryset = members
        if self.for_user is not None:
            self.fields["member"].choices = [("", "---------")] + [
                (member.pk, str(member)) for member in blockable_members(self.for_user, members)
            ]
        self.fields["member"].error_messages["invalid_choice"] = _("Unknown member: choose one from the list.")

    def clean_member(self):
        member = self.cleaned_data["member"]
        reason = why_cannot_sanction(self.for_user, member) if self.for_user is not None else None
        if reason:
            raise forms.ValidationError(reason)
        return member

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason: the member will see it."))
        return reason

    def ends_at(self, now):
        delta = DURATIONS[self.cleaned_data["duration"]][0]
        return None if delta is None else now + delta


class LiftBlockForm(forms.ModelForm):
    lift = forms.BooleanField(
        label=_("Lift this block now"),
        required=True,
        error_messages={"required": _("Tick the box to lift the block.")},
    )

    class Meta:
        model = Block
        fields = []

    def __init__(self, *args, **kwargs):
        self.for_user = kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        block = self.instance
        if block.pk:
            self.fields["lift"].help_text = describe(block)

    def clean(self):
        cleaned = super().clean()
        # Lifting a block is deciding about that member: the same rule as blocking them.
        if self.for_user is not None and self.instance.pk:
            reason = why_cannot_sanction(self.for_user, self.instance.member)
            if reason:
                raise forms.ValidationError(reason)
        return cleaned


def describe(block):
    """The block in one sentence, for the lift form."""
    values = {
        "member": block.member,
        "start": formats.date_format(timezone.localtime(block.starts_at), "SHORT_DATETIME_FORMAT"),
        "reason": block.reason,
    }
    if not block.in_force():
        return _("%(member)s, blocked from %(start)s: this block has ended. Reason: %(reason)s") % values
    if block.ends_at is None:
        return _("%(member)s is blocked since %(start)s until the block is lifted. Reason: %(reason)s") % values
    values["end"] = formats.date_format(timezone.localtime(block.ends_at), "SHORT_DATETIME_FORMAT")
    return _("%(member)s is blocked from %(start)s until %(end)s. Reason: %(reason)s") % values


class BlockIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "created_by")


class _ForUserMixin:
    """The forms here are plain Django forms: give them the user, as Wagtail gives its own."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class BlockCreateView(_ForUserMixin, generic.CreateView):
    def save_instance(self):
        form = self.form
        now = timezone.now()
        return block_member(
            form.cleaned_data["member"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
            starts_at=now,
            ends_at=form.ends_at(now),
        )

    def get_success_message(self, instance):
        return _("%(member)s is blocked.") % {"member": instance.member}


class BlockEditView(_ForUserMixin, generic.EditView):
    def save_instance(self):
        return lift_block(self.object, by=self.request.user)

    def get_success_message(self):
        return _("The block of %(member)s is lifted.") % {"member": self.object.member}


class StatusColumn(Column):
    def get_value(self, instance):
        return _("In force") if instance.in_force() else _("Ended")


class BlockViewSet(ModelViewSet):
    model = Block
    icon = "lock"
    menu_label = _("Blocks")
    menu_order = 910
    add_to_admin_menu = True
    name = "blocks"
    url_prefix = "blocks"
    copy_view_enabled = False
    index_view_class = BlockIndexView
    add_view_class = BlockCreateView
    edit_view_class = BlockEditView
    list_filter = []
    search_fields = None
    list_display = [
        "member",
        "reason",
        DateColumn("starts_at", label=_("starts")),
        DateColumn("ends_at", label=_("ends")),
        StatusColumn("status", label=_("status")),
        "created_by",
    ]

    def get_form_class(self, for_update=False):
        return LiftBlockForm if for_update else BlockForm
