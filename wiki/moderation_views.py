"""Wagtail admin views for moderators: the patrol queue, and hiding a revision from the public history.

Thin: a form validates the input, one service of wiki.moderation acts.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.models import Page

from civic.params import IdChoiceField, IdField, parse_id
from wiki import moderation, permissions, territory
from wiki.models import MarkdownPage, RevisionMeta
from wiki.services import EditConflict, InvalidRevision

PATROL_PER_PAGE = 50
MAX_SHOWN = 200


class PatrolFilterForm(forms.Form):
    commune = IdChoiceField(
        label=gettext_lazy("Commune"),
        queryset=territory.communes(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("All communes"),
    )
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        choices=[("oldest", gettext_lazy("Oldest first")), ("newest", gettext_lazy("Newest first"))],
        required=False,
    )


class RevisionIdsField(forms.Field):
    """Revision ids sent as repeated hidden inputs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if len(value) > MAX_SHOWN:
            raise ValidationError(gettext_lazy("Too many versions at once."), code="too_many")
        ids = [parse_id(item) for item in value]
        if None in ids:
            raise ValidationError(gettext_lazy("Unknown version."), code="invalid")
        return ids


class PatrolActionForm(forms.Form):
    """One of: `patrol=<id>`, `revert=<id>`, `patrol_shown=1` with the `shown` ids."""

    patrol = IdField(required=False)
    revert = IdField(required=False)
    patrol_shown = forms.BooleanField(required=False)
    shown = RevisionIdsField(required=False)
    next = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("patrol", "revert", "patrol_shown") if data.get(name)]
        if len(chosen) != 1:
            raise ValidationError(_("Choose one action."))
        return data


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (seen by moderators only)"),
        max_length=moderation.REASON_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("Give the reason for hiding this version: other moderators will read it.")
        },
    )


def _error_text(error):
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _safe_next(request, url, default):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def patrol_queue(request):
    """The revisions waiting for a patrol, oldest first, filterable by commune."""
    if not permissions.can_patrol(request.user):
        raise PermissionDenied
    form = PatrolFilterForm(request.GET)
    context = {"page_title": _("Patrol"), "header_icon": "view", "form": form, "rows": None}
    if not form.is_valid():
        return TemplateResponse(request, "wiki/admin/patrol.html", context, status=400)
    data = form.cleaned_data
    queue = moderation.patrol_queue(commune=data["commune"], newest_first=data["order"] == "newest")
    page_of_rows = Paginator(queue, PATROL_PER_PAGE).get_page(request.GET.get("page"))
    context.update(rows=page_of_rows.object_list, page_of_rows=page_of_rows, next_url=request.get_full_path())
    return TemplateResponse(request, "wiki/admin/patrol.html", context)


@require_POST
def patrol_action(request):
    """Mark one revision patrolled, revert it, or mark every revision shown patrolled."""
    if not permissions.can_patrol(request.user):
        raise PermissionDenied
    form = PatrolActionForm(request.POST)
    back = _safe_next(request, request.POST.get("next"), reverse("wiki_patrol"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    if data["revert"]:
        meta = RevisionMeta.objects.filter(revision_id=data["revert"]).select_related("page").first()
        page = meta.page.specific if meta else None
        if page is None or not isinstance(page, MarkdownPage):
            messages.error(request, str(InvalidRevision()))
            return redirect(back)
        try:
            moderation.revert_and_patrol(request.user, page, data["revert"])
        except (InvalidRevision, EditConflict, ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("Version #%(id)s of “%(title)s” is undone and patrolled.")
                % {"id": data["revert"], "title": page.title},
            )
        return redirect(back)
    ids = [data["patrol"]] if data["patrol"] else data["shown"]
    done = moderation.mark_patrolled(request.user, ids)
    if done:
        messages.success(
            request,
            ngettext("%(count)d version marked as patrolled.", "%(count)d versions marked as patrolled.", len(done))
            % {"count": len(done)},
        )
    else:
        messages.info(request, _("Nothing to patrol: these versions were already patrolled."))
    return redirect(back)


@require_POST
def hide_revision(request, page_id, revision_id):
    """Hide an old revision's content and summary from the public (the form sits on the public history)."""
    if not permissions.can_hide(request.user):
        raise PermissionDenied
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, MarkdownPage):
        raise Http404
    history = (page.get_url(request) or "/") + "history/"
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect(f"{history}#v{revision_id}")
    try:
        moderation.hide_revision(request.user, page, revision_id, form.cleaned_data["reason"])
    except (InvalidRevision, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The content and summary of version #%(id)s are now hidden from the public.") % {"id": revision_id},
        )
    return redirect(f"{history}#v{revision_id}")
