"""Views of the gallery: place a photo while editing a page, and the moderators' list of photos.

`place` receives the whole edit (or new-page) form, the photo fields
included, through the "Upload and place" button (its formaction): it stores
the photo or picks one of the site, adds its Markdown at the end of the text,
and hands the request to the wiki's own view as a preview, so the member sees
the photo in place and keeps everything they typed, errors included.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from gallery import render, services
from gallery.forms import DocumentForm, HideForm, PhotoUploadForm, PlacePhotoForm
from gallery.models import Photo, ProjectDocument
from wiki import permissions
from wiki import views as wiki_views

REVIEW_PER_PAGE = 30


def _as_preview(request, markdown=None):
    """The submitted form as a preview (never a save), with the photo's Markdown added at the end of the text."""
    data = request.POST.copy()
    if markdown:
        body = (data.get("body") or "").rstrip()
        data["body"] = f"{body}\n\n{markdown}\n" if body else f"{markdown}\n"
    data["preview"] = "1"
    data.pop("save", None)
    return data


def place(request, page_id, mode):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    page = get_object_or_404(Page, pk=page_id).specific
    if mode == "edit":
        allowed = permissions.can_edit(request.user, page)

        def wiki_view():
            return wiki_views.edit_page(request, page)
    else:

        def wiki_view():
            return wiki_views.new_page(request, page)

        allowed = permissions.can_create(request.user, page)
    if not request.user.is_authenticated:
        return redirect_to_login(page.get_url(request) or "/")
    if not allowed or not services.can_upload(request.user):
        return wiki_view()  # the wiki explains why not
    upload_form, placed = PhotoUploadForm(prefix="photo"), None
    if "upload_photo" in request.POST:
        upload_form = PhotoUploadForm(request.POST, request.FILES, prefix="photo")
        if upload_form.is_valid():
            data = upload_form.cleaned_data
            try:
                placed = services.upload_photo(
                    request.user,
                    services.Upload(
                        file=data["file"],
                        alt_text=data["alt_text"],
                        credit=data["credit"],
                        caption=data["caption"],
                        licence=data["licence"],
                    ),
                    page=page if mode == "edit" else None,
                )
            except ValidationError as error:
                upload_form.add_error("alt_text" if hasattr(error, "error_dict") else "file", error)
            except services.UploadsLimited as error:
                upload_form.add_error(None, error.message)
    else:
        place_form = PlacePhotoForm(request.POST, prefix="place")
        if place_form.is_valid():
            placed = place_form.cleaned_data["photo"]
        else:
            request.gallery_place_error = place_form.errors["photo"][0]
    request.POST = _as_preview(request, placed.markdown if placed is not None else None)
    if placed is not None:
        request.gallery_placed = placed
    else:
        request.gallery_upload_form = upload_form
    return wiki_view()


def _require_moderator(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.can_moderate(request.user):
        raise PermissionDenied
    return None


def review(request):
    """Moderators and staff: the latest photos, those waiting for a check first."""
    if refused := _require_moderator(request):
        return refused
    photos = render.shown_photos(
        Photo.objects.select_related("uploaded_by__member", "hidden_by__member").order_by(
            "patrolled", "-uploaded_at", "-pk"
        )
    )
    paginator = Paginator(photos, REVIEW_PER_PAGE)
    page_of_photos = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "gallery/review.html", {"photos": page_of_photos, "hide_form": HideForm(), "thumb": render.SRC_FILTER}
    )


def _photo_action(request, photo_id, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if refused := _require_moderator(request):
        return refused
    photo = get_object_or_404(Photo, pk=photo_id)
    if action == "hide":
        form = HideForm(request.POST)
        if not form.is_valid():
            raise Http404
        services.hide_photo(request.user, photo, form.cleaned_data["reason"])
        messages.success(request, _("The photo is hidden from every page that shows it."))
    elif action == "show":
        services.show_photo(request.user, photo)
        messages.success(request, _("The photo shows again where it is placed."))
    else:
        services.patrol_photo(request.user, photo)
        messages.success(request, _("The photo is marked as checked."))
    return redirect("gallery:review")


def hide(request, photo_id):
    return _photo_action(request, photo_id, "hide")


def show(request, photo_id):
    return _photo_action(request, photo_id, "show")


def patrol(request, photo_id):
    return _photo_action(request, photo_id, "patrol")


def documents(request, page_id):
    """A project's documents: staff and trusted members attach a PDF or remove one."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.can_attach_documents(request.user, page):
        raise PermissionDenied
    form = DocumentForm()
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_document(
                    request.user, page, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("The document is attached to the project."))
                return redirect(page.get_url(request))
    attached = ProjectDocument.objects.filter(page=page).select_related("document")
    return TemplateResponse(request, "gallery/documents.html", {"page": page, "form": form, "attached": attached})


def remove_document(request, document_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    attached = get_object_or_404(ProjectDocument.objects.select_related("page", "document"), pk=document_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    services.remove_document(request.user, attached)
    messages.success(request, _("The document is removed."))
    return redirect("gallery:documents", attached.page_id)
