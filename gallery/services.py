"""What members and moderators do with photos: upload, patrol, hide, show again.

Each upload is a line of the engagement ledger (members.activity, kind PHOTO)
written in the same transaction; hiding records a HIDDEN line concerning it
(the photo then earns nothing) and makes the photo vanish from every page,
gallery and list (Photo.objects.visible(), the renderer, the caches).
Discussion's moderation calls `hide_photo` when a report is upheld.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.images import get_image_model

from gallery import images, render
from gallery.models import Photo, ProjectDocument
from members import access, activity
from members.models import Activity
from wiki import permissions, ratelimits
from wiki.ratelimits import RateLimited

UPLOAD_WINDOW = timedelta(hours=1)


def uploads_per_hour(new_account):
    if new_account:
        return getattr(settings, "GALLERY_UPLOADS_PER_HOUR_NEW", 5)
    return getattr(settings, "GALLERY_UPLOADS_PER_HOUR", 20)


class UploadsLimited(RateLimited):
    """Too many photos in an hour: nothing was stored."""

    @property
    def message(self):
        parts = [
            ngettext(
                "You reached the limit of %(count)d photo per hour.",
                "You reached the limit of %(count)d photos per hour.",
                self.limit,
            )
            % {"count": self.limit}
        ]
        if self.new_account:
            parts.append(
                ngettext(
                    "Accounts younger than %(days)d day have a lower limit.",
                    "Accounts younger than %(days)d days have a lower limit.",
                    self.new_account_days,
                )
                % {"days": self.new_account_days}
            )
        parts.append(_("Try again in %(delay)s.") % {"delay": timeuntil(self.retry_at, self.now, depth=2)})
        return " ".join(parts)


def can_upload(user):
    """Verified members who are not blocked may add photos (the same rule as writing)."""
    return access.is_contributor(user)


def can_moderate(user):
    return permissions.can_hide(user)


def check_upload_limit(user, now=None):
    """Raise UploadsLimited when `user` added as many photos as allowed in the last hour (moderators are exempt)."""
    now = now or timezone.now()
    limits = ratelimits.limits_for(user, now=now)
    if limits is None:
        return
    limit = uploads_per_hour(limits.new_account)
    if not limit:
        return
    if not transaction.get_autocommit():
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    nth = (
        Photo.objects.filter(uploaded_by=user, uploaded_at__gt=now - UPLOAD_WINDOW)
        .order_by("-uploaded_at")
        .values_list("uploaded_at", flat=True)[limit - 1 : limit]
        .first()
    )
    if nth is not None:
        raise UploadsLimited(
            kind="photo",
            limit=limit,
            retry_at=nth + UPLOAD_WINDOW,
            new_account=limits.new_account,
            new_account_days=limits.new_account_days,
            now=now,
        )


@dataclass
class Upload:
    file: object
    alt_text: str
    credit: str
    caption: str = ""
    licence: str = "cc-by-sa-4.0"


def upload_photo(user, upload, *, page=None):
    """Store a photo without its metadata, record the contribution; return the Photo.

    ValidationError: the file is not a photo we take (type, size, pixels, broken)
    or the alternative text is missing. UploadsLimited: too many this hour.
    """
    if not can_upload(user):
        raise PermissionDenied(_("Confirm your email address before you contribute: follow the link we sent you."))
    if not upload.alt_text.strip():
        raise ValidationError({"alt_text": _("Describe the photo for residents who cannot see it.")})
    content, _kind = images.clean_photo(upload.file)  # before the transaction: decoding takes time
    with transaction.atomic():
        check_upload_limit(user)
        image = get_image_model()(title=upload.alt_text.strip()[:255], file=content)
        image._set_image_file_metadata()
        image.save()
        photo = Photo.objects.create(
            image=image,
            alt_text=upload.alt_text.strip(),
            caption=upload.caption.strip(),
            credit=upload.credit.strip(),
            licence=upload.licence,
            uploaded_by=user,
            page=page,
            patrolled=permissions.is_trusted(user) or permissions.is_moderator(user),
        )
        photo.activity = activity.record(user.member, Activity.Kind.PHOTO, page=page, target=photo)
        photo.save(update_fields=["activity"])
    return photo


def patrol_photo(moderator, photo):
    """A moderator checked a new member's photo: it counts from now on."""
    if not can_moderate(moderator):
        raise PermissionDenied
    with transaction.atomic():
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
        if photo.patrolled:
            return photo
        photo.patrolled = True
        photo.save(update_fields=["patrolled"])
        activity.record(moderator.member, Activity.Kind.PATROLLED, target=photo, concerns=photo.activity)
    return photo


def _line_member(moderator, photo):
    """Who the HIDDEN / RESTORED line names: the moderator, or (automatic) the uploader's line's member."""
    if moderator is not None:
        return moderator.member
    line = Activity.objects.filter(pk=photo.activity_id).select_related("member").first()
    return line.member if line else None


def hide_photo(moderator, photo, reason=""):
    """Hide a photo everywhere (pages, galleries, lists, the selection); its points are voided.

    The file and its renditions stay, so a moderator can show it again
    (`show_photo`); the pages placing it show a short notice meanwhile.
    `moderator` None: hidden automatically (members' reports reached the
    threshold, discussion.moderation), the caller having checked who acts.
    """
    if moderator is not None and not can_moderate(moderator):
        raise PermissionDenied
    with transaction.atomic():
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
        if photo.hidden:
            return photo
        photo.hidden = True
        photo.patrolled = True
        photo.hidden_at = timezone.now()
        photo.hidden_by = moderator
        photo.hidden_reason = (reason or "")[:500]
        photo.save(update_fields=["hidden", "patrolled", "hidden_at", "hidden_by", "hidden_reason"])
        activity.record(
            _line_member(moderator, photo),
            Activity.Kind.HIDDEN,
            target=photo,
            concerns=photo.activity,
            facts={"reason": reason},
        )
        _invalidate()
    return photo


def _invalidate():
    """Forget rendered pages now and again once committed (a page rendered in between would keep the photo)."""
    render.invalidate()
    transaction.on_commit(render.invalidate)


def show_photo(moderator, photo):
    """Undo a hiding: the photo shows again where it is placed, and a RESTORED line lifts the HIDDEN one.

    `moderator` None: an appeal granted by the system (the caller checked who acts).
    """
    if moderator is not None and not can_moderate(moderator):
        raise PermissionDenied
    with transaction.atomic():
        updated = Photo.objects.filter(pk=photo.pk, hidden=True).update(hidden=False)
        if updated:
            hiding = (
                Activity.objects.filter(
                    kind=Activity.Kind.HIDDEN, concerns=photo.activity_id, target=activity.describe(photo)
                )
                .order_by("-occurred_at", "-pk")
                .first()
            )
            if hiding is not None:
                activity.record(_line_member(moderator, photo), Activity.Kind.RESTORED, target=photo, concerns=hiding)
            _invalidate()
    photo.refresh_from_db()
    return photo


def retry_after_seconds(error):
    return max(1, math.ceil((error.retry_at - error.now).total_seconds()))


# Documents of projects -------------------------------------------------------------

PDF_MAGIC = b"%PDF-"


def max_document_bytes():
    return getattr(settings, "GALLERY_MAX_DOCUMENT_BYTES", 20 * 1024 * 1024)


def can_attach_documents(user, page):
    """Staff, moderators and trusted members who may edit the project (wiki.permissions' trust rules)."""
    from wiki.models import ProjectPage

    if not isinstance(page.specific, ProjectPage) or not permissions.can_edit(user, page):
        return False
    return access.is_staff_member(user) or permissions.is_moderator(user) or permissions.is_trusted(user)


def check_pdf(uploaded):
    """ValidationError unless the file is a PDF (from its first bytes, whatever its name) within the size limit."""
    if uploaded.size > max_document_bytes():
        raise ValidationError(
            _("This file is too large (%(size)s); documents of at most %(limit)s can be attached.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_document_bytes())},
            code="size",
        )
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    if PDF_MAGIC not in head:
        raise ValidationError(_("Only PDF documents can be attached."), code="type")


def attach_document(user, page, *, title, file):
    """Attach a PDF to a project page; it is downloaded (never shown inline) from /documents/."""
    from wagtail.documents import get_document_model

    if not can_attach_documents(user, page):
        raise PermissionDenied
    check_pdf(file)
    with transaction.atomic():
        document = get_document_model()(title=title[:255], file=ContentFile(file.read(), name=_pdf_name(title)))
        document._set_document_file_metadata()
        document.save()
        return ProjectDocument.objects.create(page=page, document=document, title=title, added_by=user)


def _pdf_name(title):
    from django.utils.text import slugify

    return f"{slugify(title)[:60] or 'document'}.pdf"


def remove_document(user, project_document):
    if not can_attach_documents(user, project_document.page):
        raise PermissionDenied
    with transaction.atomic():
        document = project_document.document
        project_document.delete()
        document.delete()
