"""The Wagtail admin screens of sanctions and appeals, and the read-only moderation log.

- `members_sanction`: warn, mute or block one member (those who `can_sanction`), optionally from a
  decision about one of their items (`?decision=<id>`); the services log the decision and tell the member.
- `members_appeals` / `members_appeal_review`: the appeals, reviewed by a moderator other than the one
  who decided (sanctions: the senior tier).
- The moderation log (ModerationLogViewSet): every report, decision and appeal, filterable, with no
  add, edit or delete view at all. Moderators read it as well as staff: they review each other's
  decisions (an appeal goes to another moderator), which asks to see what was decided and why.
"""

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from civic.params import parse_id
from members import access
from members.models import Member, ModerationDecision
from members.moderation_forms import AppealReviewForm, SanctionForm, statement_template
from members.services import (
    SANCTIONS,
    SanctionRefused,
    block_member,
    mute_member,
    review_appeal,
    warn_member,
    why_cannot_review,
)

Action = ModerationDecision.Action
APPEALS_PER_PAGE = 50


# Sanctions ----------------------------------------------------------------------------------


def sanction(request, member_id):
    """Warn, mute or block one member: a form, one service call."""
    if not access.is_moderator(request.user):
        raise PermissionDenied
    if not access.can_sanction(request.user):
        # A moderator of the first tier: a 403 that says why, rather than the admin's redirect to its home.
        context = {
            "page_title": _("Not allowed"),
            "header_icon": "warning",
            "reason": _("Only senior moderators and staff warn, mute and block members.")
            + " "
            + _("Staff can allow moderators to do it in Settings › Moderation; you can escalate a report instead."),
        }
        return render(request, "members/admin/refused.html", context, status=403)
    member = get_object_or_404(Member.objects.select_related("user"), pk=member_id)
    source_id = parse_id(request.GET.get("decision") or request.POST.get("decision"))
    # The decision this sanction follows: one about this member (another id is ignored, not trusted).
    source = ModerationDecision.objects.filter(pk=source_id, member=member).first() if source_id else None
    refused = access.why_cannot_sanction(request.user, member)
    if request.method == "POST":
        form = SanctionForm(request.POST)
        if refused:
            form.add_error(None, refused)
        elif form.is_valid():
            try:
                _impose(request.user, member, form, source)
            except SanctionRefused as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The sanction of %(member)s is recorded and told to them.") % {"member": member}
                )
                return redirect("members_member_detail", member_id=member.pk)
    else:
        rule = source.rule if source is not None else ""
        form = SanctionForm(initial={"rule": rule, "statement": statement_template(member, source, rule)})
    context = {
        "page_title": _("Sanction %(member)s") % {"member": member},
        "header_icon": "warning",
        "member": member,
        "source": source,
        "refused": refused,
        "form": form,
        "history": ModerationDecision.objects.filter(member=member)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:20],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "members/admin/sanction.html", context, status=status)


def _impose(user, member, form, source):
    data = form.cleaned_data
    now = timezone.now()
    common = {"rule": data["rule"], "statement": data["statement"].strip(), "note": data["note"], "source": source}
    if data["action"] == SanctionForm.WARN:
        return warn_member(member, by=user, at=now, **common)
    if data["action"] == SanctionForm.MUTE:
        return mute_member(member, by=user, ends_at=form.ends_at(now), at=now, **common)
    return block_member(member, reason=common["statement"], by=user, starts_at=now, ends_at=form.ends_at(now), **common)


# Appeals -------------------------------------------------------------------------------------


def appeals(request):
    """The appeals, those waiting for a review first, then the newest."""
    if not access.is_moderator(request.user):
        raise PermissionDenied
    reviewed = ModerationDecision.objects.filter(concerns=OuterRef("pk"))
    rows = (
        ModerationDecision.objects.filter(action=Action.APPEAL)
        .select_related("member", "concerns", "concerns__actor")
        .annotate(reviewed=Exists(reviewed))
        .order_by("reviewed", "-created_at", "-pk")
    )
    page = Paginator(rows, APPEALS_PER_PAGE).get_page(request.GET.get("p"))
    context = {"page_title": _("Appeals"), "header_icon": "help", "page_obj": page, "Action": Action}
    return render(request, "members/admin/appeals.html", context)


def appeal_review(request, appeal_id):
    """Grant or reject one appeal (another moderator than the one who decided)."""
    if not access.is_moderator(request.user):
        raise PermissionDenied
    appeal = get_object_or_404(
        ModerationDecision.objects.select_related("member", "concerns", "concerns__actor"),
        pk=appeal_id,
        action=Action.APPEAL,
    )
    refused = why_cannot_review(request.user, appeal)
    form = AppealReviewForm(request.POST or None)
    if request.method == "POST":
        if refused:
            form.add_error(None, refused)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                review_appeal(
                    request.user,
                    appeal,
                    grant=data["outcome"] == AppealReviewForm.GRANT,
                    statement=data["statement"],
                    note=data["note"],
                )
            except SanctionRefused as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your decision on the appeal is recorded and told to the member."))
                return redirect("members_appeals")
    context = {
        "page_title": _("Appeal of %(member)s") % {"member": appeal.member or "—"},
        "header_icon": "help",
        "appeal": appeal,
        "decision": appeal.concerns,
        "outcome": appeal.followups.select_related("actor").first(),
        "refused": refused,
        "sanction": appeal.concerns is not None and appeal.concerns.action in SANCTIONS,
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "members/admin/appeal_review.html", context, status=status)


# The moderation log ----------------------------------------------------------------------


class ModerationLogPermissionPolicy(BasePermissionPolicy):
    """Moderators and staff read the log; nobody adds, changes or deletes a line through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and access.can_read_moderation_log(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return access.users(access.moderator_q())


class ModerationLogFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"), choices=Action.choices)
    rule = django_filters.ChoiceFilter(label=gettext_lazy("Rule"), choices=ModerationDecision.Rule.choices)
    actor = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Moderator"),
        queryset=lambda request: access.users(access.moderator_q()).order_by("username"),
    )
    member = django_filters.CharFilter(
        label=gettext_lazy("Member (pseudonym)"), field_name="member__pseudonym", lookup_expr="iexact", max_length=50
    )
    created_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("Period"))

    class Meta:
        model = ModerationDecision
        fields = ["action", "rule", "actor", "member", "created_at"]


class ModerationLogIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor__member", "member")


class ModeratorColumn(Column):
    def get_value(self, instance):
        if instance.actor_id is None:
            return _("Automatic")
        member = getattr(instance.actor, "member", None)
        return str(member) if member is not None else instance.actor.get_username()


class ModerationLogViewSet(ModelViewSet):
    """Read-only: an index with filters and an inspect view; no add, edit, delete, copy or history URL."""

    model = ModerationDecision
    icon = "list-ul"
    menu_label = gettext_lazy("Moderation log")
    menu_order = 915
    add_to_admin_menu = True
    name = "moderation_log"
    url_prefix = "moderation-log"
    index_view_class = ModerationLogIndexView
    filterset_class = ModerationLogFilterSet
    inspect_view_enabled = True
    inspect_view_fields = [
        "action",
        "actor",
        "member",
        "target_label",
        "target_url",
        "rule",
        "statement",
        "details",
        "note",
        "ends_at",
        "concerns",
        "created_at",
    ]
    copy_view_enabled = False
    search_fields = None
    list_per_page = 50
    list_display = [
        DateColumn("created_at", label=gettext_lazy("when")),
        "action",
        ModeratorColumn("actor", label=gettext_lazy("by")),
        "member",
        "target_label",
        "rule",
    ]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<id:pk>/", self.inspect_view, name="inspect"),
        ]
