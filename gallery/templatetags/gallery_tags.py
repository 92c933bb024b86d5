from django import template
from django.db.models import Prefetch
from django.urls import reverse
from wagtail.images import get_image_model

from gallery import services
from gallery.forms import PhotoUploadForm
from gallery.models import Photo, ProjectDocument

register = template.Library()

RECENT_PHOTOS = 12
THUMBNAIL = "fill-160x120|format-webp"


@register.inclusion_tag("gallery/_picker.html", takes_context=True)
def photo_picker(context, page, mode):
    """The "Add a photo" section of the wiki's edit and new-page forms (gallery.views.place does the work)."""
    request = context["request"]
    if not services.can_upload(request.user):
        return {"shown": False}
    images = get_image_model().objects.prefetch_renditions(THUMBNAIL)
    recent = list(
        Photo.objects.visible()
        .order_by("-uploaded_at", "-pk")
        .prefetch_related(Prefetch("image", queryset=images))[:RECENT_PHOTOS]
    )
    name = "gallery:place-edit" if mode == "edit" else "gallery:place-new"
    return {
        "shown": True,
        "form": getattr(request, "gallery_upload_form", None) or PhotoUploadForm(prefix="photo"),
        "placed": getattr(request, "gallery_placed", None),
        "place_error": getattr(request, "gallery_place_error", None),
        "recent": recent,
        "thumbnail": THUMBNAIL,
        "action": reverse(name, args=[page.pk]),
    }


@register.inclusion_tag("gallery/_documents.html", takes_context=True)
def project_documents(context, page):
    """The documents attached to a project, with a link for those who may attach more (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "documents": list(ProjectDocument.objects.filter(page=page).select_related("document")),
        "can_attach": user is not None and user.is_authenticated and services.can_attach_documents(user, page),
        "page": page,
    }


@register.inclusion_tag("gallery/_featured.html", takes_context=True)
def featured(context, theme=None, commune=None):
    """The "À la une" block of a theme, a commune or (neither) the home page."""
    from gallery.selection import current_items

    request = context.get("request")
    items = current_items(theme=theme, commune=commune, user=getattr(request, "user", None))
    if theme is not None:
        feed = reverse("gallery:featured-theme-feed", args=[theme.slug])
    elif commune is not None:
        feed = reverse("gallery:featured-commune-feed", args=[commune.pk])
    else:
        feed = reverse("gallery:featured-feed")
    return {"items": items, "feed": feed, "request": request}
