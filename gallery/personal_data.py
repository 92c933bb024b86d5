"""What the gallery holds about a member, for the export and the erasure (members.personal_data).

Photos are contributions published under a free licence: they stay, detached
from the departed account, and their credit no longer names the member.
"""

from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, iso, register


@register
class Photos(PersonalData):
    identifier = "photos"
    verbose_name = _("Photos")
    covers = ("gallery.Photo.uploaded_by", "gallery.Photo.hidden_by")

    def export_data(self, member):
        from gallery.models import Photo

        photos = Photo.objects.filter(uploaded_by=member.user_id).order_by("uploaded_at", "pk")
        return [
            {
                "id": photo.pk,
                "uploaded_at": iso(photo.uploaded_at),
                "alt_text": photo.alt_text,
                "caption": photo.caption,
                "credit": photo.credit,
                "licence": photo.licence,
                "hidden": photo.hidden,
            }
            for photo in photos
        ]

    def erase(self, member):
        from gallery.models import Photo

        count = Photo.objects.filter(uploaded_by=member.user_id).update(
            uploaded_by=None, credit=str(_("a former member"))
        )
        Photo.objects.filter(hidden_by=member.user_id).update(hidden_by=None)
        return count


@register
class ProjectDocuments(PersonalData):
    """Documents attached to projects: public records, kept; who attached them is forgotten."""

    identifier = "project_documents"
    verbose_name = _("Documents attached to projects")
    covers = ("gallery.ProjectDocument.added_by",)

    def export_data(self, member):
        from gallery.models import ProjectDocument

        documents = ProjectDocument.objects.filter(added_by=member.user_id).order_by("added_at", "pk")
        return [
            {"id": doc.pk, "title": doc.title, "added_at": iso(doc.added_at), "page": doc.page_id} for doc in documents
        ]

    def erase(self, member):
        from gallery.models import ProjectDocument

        return ProjectDocument.objects.filter(added_by=member.user_id).update(added_by=None)
