"""Forms of the gallery: a photo to upload, a photo of the site to place, a moderator's decision."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civic.params import IdField
from gallery import images
from gallery.models import ALT_MAX_LENGTH, CAPTION_MAX_LENGTH, CREDIT_MAX_LENGTH, Licence, Photo

ACCEPT = "image/jpeg,image/png,image/webp"


class PhotoUploadForm(forms.Form):
    """Shown inside the wiki's edit and new-page forms, under the prefix "photo"; no `required` attribute
    in the browser, so that saving the page never waits for these fields (the server checks them)."""

    use_required_attribute = False

    file = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP. Its hidden data (the place where it was taken first) is removed."),
        error_messages={"required": _("Choose a photo to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    alt_text = forms.CharField(
        label=_("Photo description (required)"),
        max_length=ALT_MAX_LENGTH,
        help_text=_("What the photo shows, for residents who cannot see it: read aloud by screen readers."),
        error_messages={"required": _("Describe the photo for residents who cannot see it.")},
    )
    caption = forms.CharField(label=_("Caption"), max_length=CAPTION_MAX_LENGTH, required=False)
    credit = forms.CharField(
        label=_("Author (required)"),
        max_length=CREDIT_MAX_LENGTH,
        help_text=_("Who took the photo, as it should be credited."),
        error_messages={"required": _("Say who took the photo: it is credited under it.")},
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=Licence.choices,
        initial=Licence.CC_BY_SA,
        help_text=_("CC BY-SA 4.0, like the wiki's text, unless you choose otherwise."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > images.max_upload_bytes():
            images.clean_photo(uploaded)  # raises the "too large" message
        return uploaded


class PlacePhotoForm(forms.Form):
    """A photo already on the site, chosen by its number."""

    photo = IdField(label=_("Photo"), error_messages={"required": _("Choose a photo to place.")})

    def clean_photo(self):
        photo = Photo.objects.visible().filter(pk=self.cleaned_data["photo"]).first()
        if photo is None:
            raise ValidationError(_("This photo does not exist or was hidden."))
        return photo


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("E.g. “Public notice of the works”."))
    file = forms.FileField(
        label=_("PDF document"),
        error_messages={"required": _("Choose a PDF document.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
