"""The moderation queue in the Wagtail admin: reported items and held comments, and a moderator's decisions.

Thin: a form validates the input, one verb of discussion.moderation acts.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from discussion import moderation
from discussion.models import Comment, Report
from members.models import Member, ModerationDecision

QUEUE_PER_PAGE = 25
STATEMENT_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000


class QueueFilterForm(forms.Form):
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        choices=[("newest", gettext_lazy("Newest first")), ("most", gettext_lazy("Most reported first"))],
        required=False,
    )
    escalated = forms.BooleanField(label=gettext_lazy("Escalated only"), required=False)


def _note_field(required=False):
    return forms.CharField(
        label=gettext_lazy("Internal note (moderators only)"),
        required=required,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Write a note for the senior moderator.")},
    )


def _statement_field():
    return forms.CharField(
        label=gettext_lazy("Statement of reasons told to the member"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Which item, which rule, what happens next. The member reads it by email and on /me/."),
        error_messages={"required": gettext_lazy("Write the statement of reasons the member is told.")},
    )


class HideForm(forms.Form):
    rule = forms.ChoiceField(
        label=gettext_lazy("Rule broken"),
        choices=ModerationDecision.Rule.choices,
        error_messages={"required": gettext_lazy("Choose the rule this item breaks.")},
    )
    statement = _statement_field()
    note = _note_field()


class RestoreForm(forms.Form):
    statement = _statement_field()
    note = _note_field()


class DismissForm(forms.Form):
    note = _note_field()


class EscalateForm(forms.Form):
    note = _note_field(required=True)


class PublishForm(forms.Form):
    note = _note_field()


FORMS = {
    "hide": HideForm,
    "restore": RestoreForm,
    "dismiss": DismissForm,
    "escalate": EscalateForm,
    "publish": PublishForm,
}


def _check(request):
    if not moderation.can_moderate(request.user):
        raise PermissionDenied


def moderation_queue(request):
    """Items with open reports (newest or most reported first; escalated only), then held comments."""
    _check(request)
    form = QueueFilterForm(request.GET)
    context = {"page_title": _("Moderation"), "header_icon": "warning", "form": form, "entries": None}
    if not form.is_valid():
        return TemplateResponse(request, "discussion/admin/queue.html", context, status=400)
    data = form.cleaned_data
    rows = moderation.queue(order=data["order"] or "newest", escalated=data["escalated"])
    page_of_rows = Paginator(rows, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        entries=moderation.queue_entries(list(page_of_rows.object_list)),
        page_of_rows=page_of_rows,
        held=moderation.held_comments(),
        held_count=moderation.held_count(),
    )
    return TemplateResponse(request, "discussion/admin/queue.html", context)


def _item(kind, pk):
    if kind == Report.Kind.COMMENT:
        comment = get_object_or_404(Comment.objects.select_related("page", "author__member"), pk=pk)
        return moderation.comment_item(comment)
    if kind == Report.Kind.REVISION:
        item = moderation.item_by_target(f"wagtailcore.revision:{pk}")
        if item is None:
            raise Http404
        return item
    if kind == Report.Kind.PHOTO:
        item = moderation.item_by_target(f"gallery.photo:{pk}")
        if item is None:
            raise Http404
        return item
    if kind == Report.Kind.MEMBER:
        return moderation.member_item(get_object_or_404(Member.objects.select_related("user"), pk=pk))
    raise Http404


def available_actions(item, has_reports):
    """The decisions that apply to `item` now, in the order the page shows them."""
    if item.kind == Report.Kind.MEMBER:
        return ["dismiss", "escalate"] if has_reports else []
    if item.kind == Report.Kind.COMMENT and item.obj.state == Comment.State.HELD:
        return ["publish", "hide"]
    if item.is_hidden:
        return ["hide", "restore", "escalate"] if has_reports else ["restore"]
    return ["hide", "dismiss", "escalate"] if has_reports else ["hide"]


def _initial(action, item):
    rule = moderation.main_reason(item.target)
    if action == "hide":
        return {"rule": rule, "statement": moderation.hide_statement(item, rule) if item.author else ""}
    if action == "restore":
        return {"statement": moderation.restore_statement(item)}
    return {}


def _decide(request, action, item, data):
    user = request.user
    if action == "hide":
        return moderation.hide_item(user, item, data["rule"], data["statement"], note=data["note"])
    if action == "restore":
        return moderation.restore_item(user, item, data["statement"], note=data["note"])
    if action == "dismiss":
        return moderation.dismiss_reports(user, item, note=data["note"])
    if action == "escalate":
        return moderation.escalate(user, item, data["note"])
    return moderation.publish_held(user, item.obj, note=data["note"])


DONE = {
    "hide": gettext_lazy("The item is hidden and its author told why; the reports are upheld."),
    "restore": gettext_lazy("The item is shown again and its author told; the reports are dismissed."),
    "dismiss": gettext_lazy("The reports are dismissed."),
    "escalate": gettext_lazy("The item is escalated to the senior moderators."),
    "publish": gettext_lazy("The comment is published and its author told."),
}


@require_http_methods(["GET", "POST"])
def moderation_item(request, kind, pk):
    """One item: what it is, its open reports and their reporters' track record, and the decisions."""
    _check(request)
    item = _item(kind, pk)
    reports = list(
        Report.objects.open().filter(target=item.target).select_related("reporter__member").order_by("-created_at")
    )
    records = moderation.track_records({report.reporter_id for report in reports})
    for report in reports:
        report.track_record = records.get(report.reporter_id, {})
    # An escalated item is the senior tier's: a first-tier moderator reads it, and decides nothing.
    read_only = any(report.escalated_at for report in reports) and not moderation.can_decide_escalated(request.user)
    actions = [] if read_only else available_actions(item, bool(reports))
    forms_by_action = {action: FORMS[action](prefix=action, initial=_initial(action, item)) for action in actions}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if read_only:
            messages.error(request, moderation.ESCALATED_READ_ONLY)
            return redirect(request.path)
        if action not in actions:
            messages.error(request, _("This decision no longer applies to this item: it changed meanwhile."))
            return redirect(request.path)
        form = FORMS[action](request.POST, prefix=action)
        forms_by_action[action] = form
        if form.is_valid():
            try:
                _decide(request, action, item, form.cleaned_data)
            except moderation.DecisionRefused as refusal:
                form.add_error(None, refusal.messages)
            else:
                messages.success(request, DONE[action])
                return redirect(reverse("discussion_moderation"))
        status = 400
    return TemplateResponse(
        request,
        "discussion/admin/item.html",
        {
            "page_title": _("Moderation: %(item)s") % {"item": item.label()},
            "header_icon": "warning",
            "item": item,
            "reports": reports,
            "forms": [(action, forms_by_action[action]) for action in actions],
            "current_version": item.kind == Report.Kind.REVISION and item.page.latest_revision_id == item.obj.pk,
            "read_only": read_only,
            "decision_id": moderation.latest_decisions([item.target]).get(item.target),
        },
        status=status,
    )
