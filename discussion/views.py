"""Discussion pages: thin views over discussion.services; every refusal is a form error with the text kept."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from civic.params import parse_int
from discussion import listing, moderation, services
from discussion.forms import CommentForm, DeleteForm, EditForm, ReportForm
from discussion.models import Comment
from gallery.models import Photo
from members.models import Member


def _readable_page(request, page_id):
    page = get_object_or_404(Page.objects.select_related("content_type"), pk=page_id)
    if not services.can_read(request.user, page):
        raise Http404
    return page


def _readable_comment(request, comment_id):
    comment = get_object_or_404(Comment.objects.select_related("page", "author__member"), pk=comment_id)
    if comment.state != Comment.State.PUBLISHED or not services.can_read(request.user, comment.page):
        raise Http404
    return comment


def _posted(request, comment):
    """Where to go once a comment is posted; a held one is announced as waiting for a moderator."""
    if comment.state == Comment.State.HELD:
        messages.info(request, _("Your comment waits for a moderator: it will be published once they have read it."))
    return redirect(comment_url(comment))


def comment_url(comment):
    """Where a comment is shown: its conversation's page of the discussion, at the comment."""
    url = reverse("discussion:page", args=[comment.page_id])
    number = listing.page_of_thread(comment)
    return f"{url}{f'?page={number}' if number > 1 else ''}#comment-{comment.pk}"


def _discussion(request, page, form, status=200):
    number = parse_int(request.GET.get("page"), min_value=1, default=1)
    return render(
        request,
        "discussion/discussion.html",
        {
            "page": page,
            "conversations": listing.conversations(page, request.user, number),
            "comment_count": listing.comment_count(page),
            "form": form,
            "why_not": services.why_cannot_comment(request.user, page),
            "moderator": services.can_read_versions(request.user),
        },
        status=status,
    )


def _submit(form, action):
    """The comment `action(cleaned_data)` returns for a valid form, else None; a refusal becomes a form error."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except services.CommentRefused as refusal:
        form.refuse(refusal)
        return None


@require_http_methods(["GET", "POST"])
def discussion(request, page_id):
    """The whole discussion of a page, a page of conversations at a time, with the form to comment."""
    page = _readable_page(request, page_id)
    if request.method == "GET":
        return _discussion(request, page, CommentForm(user=request.user))
    form = CommentForm(request.POST, user=request.user)
    comment = _submit(
        form,
        lambda data: services.post_comment(
            request.user, page, data["body"], as_moderator=data.get("as_moderator", False)
        ),
    )
    if comment is not None:
        return _posted(request, comment)
    return _discussion(request, page, form, status=400)


@require_http_methods(["GET", "POST"])
def reply(request, comment_id):
    """Reply to one comment: the comment, then the form (works without JavaScript)."""
    parent = _readable_comment(request, comment_id)
    form = CommentForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        comment = _submit(
            form,
            lambda data: services.post_comment(
                request.user, parent.page, data["body"], parent=parent, as_moderator=data.get("as_moderator", False)
            ),
        )
        if comment is not None:
            return _posted(request, comment)
        status = 400
    return render(
        request,
        "discussion/reply.html",
        {
            "comment": parent,
            "page": parent.page,
            "form": form,
            "why_not": services.why_cannot_comment(request.user, parent.page),
            "can_reply": services.can_reply_to(parent),
            "notice": None
            if services.can_reply_to(parent)
            else _("This comment was deleted or hidden, or is already a reply to a reply: reply above it."),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def edit(request, comment_id):
    """The author changes their comment's text, within the edit window."""
    comment = _readable_comment(request, comment_id)
    if not services.can_delete(request.user, comment):  # not theirs, or deleted: nothing to show them
        raise Http404
    form = EditForm(request.POST or None, user=request.user, initial={"body": comment.body})
    status = 200
    if request.method == "POST":
        edited = _submit(form, lambda data: services.edit_comment(request.user, comment, data["body"]))
        if edited is not None:
            return redirect(comment_url(edited))
        status = 400
    return render(
        request,
        "discussion/edit.html",
        {
            "comment": comment,
            "page": comment.page,
            "form": form,
            "minutes": int(services.edit_window().total_seconds() // 60),
            "notice": None if services.can_edit(request.user, comment) else _("This comment can no longer be edited."),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def delete(request, comment_id):
    """The author deletes their comment, after a confirmation."""
    comment = _readable_comment(request, comment_id)
    if not services.can_delete(request.user, comment):
        raise Http404
    form = DeleteForm(request.POST or None)
    if request.method == "POST":
        # Deleted meanwhile from another tab: it is deleted, as asked.
        with contextlib.suppress(services.CommentRefused):
            services.delete_comment(request.user, comment)
        return redirect(comment_url(comment))
    return render(request, "discussion/delete.html", {"comment": comment, "page": comment.page, "form": form})


# Reports: a comment, a page version, a photo or a member, once per member and item.


def _report(request, item, *, back_url, back_label):
    """The report form for `item`; a refusal is a form error (the details kept), a report redirects back here."""
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        report = None
        if form.is_valid():
            try:
                report = moderation.file_report(
                    request.user, item, form.cleaned_data["reason"], form.cleaned_data["details"]
                )
            except moderation.ReportRefused as refusal:
                form.refuse(refusal)
        if report is not None:
            messages.success(request, _("Thank you: your report was sent to the moderators."))
            return redirect(request.path)
        status = 400
    return render(
        request,
        "discussion/report.html",
        {
            "item": item,
            "form": form,
            "notice": None if form.is_bound else moderation.why_cannot_report_item(request.user, item),
            "action": request.path,
            "back_url": back_url,
            "back_label": back_label,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_comment(request, comment_id):
    comment = get_object_or_404(Comment.objects.select_related("page", "author__member"), pk=comment_id)
    if not services.can_read(request.user, comment.page):
        raise Http404
    back = reverse("discussion:page", args=[comment.page_id])
    return _report(
        request,
        moderation.comment_item(comment),
        back_url=back,
        back_label=_("Back to the discussion"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_revision(request, revision_id):
    revision, page = moderation.readable_revision(request.user, revision_id)
    if revision is None:
        raise Http404
    return _report(
        request,
        moderation.revision_item(revision, page),
        back_url=f"{page.url or '/'}history/#v{revision.pk}",
        back_label=_("Back to the history of the page"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_photo(request, photo_id):
    """Report a photo (the "Report" link under every photo a page shows); a hidden one says it was removed."""
    photo = get_object_or_404(Photo.objects.select_related("image", "page", "uploaded_by__member"), pk=photo_id)
    page = photo.page if photo.page is not None and services.can_read(request.user, photo.page) else None
    return _report(
        request,
        moderation.photo_item(photo),
        back_url=(page.url if page is not None else None) or "/",
        back_label=_("Back to the page") if page is not None else _("Back to the home page"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_member(request, member_id):
    member = get_object_or_404(Member.objects.select_related("user"), pk=member_id)
    return _report(
        request,
        moderation.member_item(member),
        back_url=reverse("leaderboard:show-leaderboard"),
        back_label=_("Back to the leaderboard"),
    )
