"""Check an uploaded photo and re-encode it without its metadata.

The upload is opened by Pillow with its decompression-bomb guard on (a file
declaring more than MAX_PIXELS pixels is refused before it is decoded), must
be a JPEG, PNG or WebP whatever its name says, is turned upright from its
EXIF orientation, shrunk to MAX_SIDE pixels at most, and written anew from its
pixels alone: EXIF (the GPS position first), XMP, IPTC and comments are not
copied. Only that new file is stored; the upload is dropped with the request.
"""

import io
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_SIDE = 2560  # the stored photo's longest side: more than any screen shows, no raw camera file


def max_upload_bytes():
    return getattr(settings, "GALLERY_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def max_pixels():
    return getattr(settings, "GALLERY_MAX_PIXELS", 40_000_000)


def _broken():
    return ValidationError(
        _("This file could not be read as a photo: it may be damaged. Try another one."), code="broken"
    )


def _wrong_type():
    return ValidationError(_("Only JPEG, PNG and WebP photos can be uploaded."), code="type")


def _opened(uploaded):
    limit = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded)
            if image.format not in FORMATS:
                raise _wrong_type()
            if image.width * image.height > limit:
                raise Image.DecompressionBombError("too many pixels")
            if image.format == "JPEG":
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode JPEGs at a reduced scale when large
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("This photo has too many pixels (at most %(count)d million).") % {"count": limit // 1_000_000},
            code="pixels",
        ) from error
    except UnidentifiedImageError as error:
        raise _wrong_type() from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise _broken() from error
    return image


def clean_photo(uploaded):
    """(ContentFile of the re-encoded photo, its format) or ValidationError with a message for the member."""
    if uploaded.size > max_upload_bytes():
        raise ValidationError(
            _("This file is too large (%(size)s); photos of at most %(limit)s can be uploaded.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_upload_bytes())},
            code="size",
        )
    image = _opened(uploaded)
    kind = image.format
    try:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
        if kind == "JPEG":
            mode = "RGB"
        pixels = image.convert(mode)
        clean = Image.frombytes(mode, pixels.size, pixels.tobytes())  # the pixels, nothing else
        out = io.BytesIO()
        if kind == "JPEG":
            clean.save(out, "JPEG", quality=88, optimize=True, progressive=True)
        elif kind == "PNG":
            clean.save(out, "PNG", optimize=True)
        else:
            clean.save(out, "WEBP", quality=85)
    except (OSError, ValueError) as error:
        raise _broken() from error
    name = f"{secrets.token_hex(10)}.{FORMATS[kind]}"
    return ContentFile(out.getvalue(), name=name), kind
