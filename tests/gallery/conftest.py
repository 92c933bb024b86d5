import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gallery import services


def image_bytes(fmt="JPEG", size=(800, 600), color=(200, 80, 40), exif=None):
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def gps_exif():
    """EXIF with a GPS position (Bordeaux), a camera maker and an author, as a phone writes them."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Nadia Martin"  # Artist
    gps = {
        1: "N",
        2: (44.0, 50.0, 16.0),
        3: "W",
        4: (0.0, 34.0, 46.0),
    }
    exif[0x8825] = gps  # GPSInfo IFD
    return exif


def upload_file(name="photo.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type=content_type)


@pytest.fixture
def make_photo(resident):
    def make(user=None, alt="La passerelle", **extra):
        upload = services.Upload(file=upload_file(), alt_text=alt, credit="Nadia", **extra)
        return services.upload_photo(user or resident, upload)

    return make


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded photos and renditions go to a folder of the test, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def write_page(resident):
    from wiki import services as wiki_services

    def write(parent, title, body="", *, user=None, page_type="wiki", **facts):
        return wiki_services.create_page(user or resident, parent, title, body, "", page_type=page_type, facts=facts)

    return write
