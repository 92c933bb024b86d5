import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from gallery import images, services
from gallery.models import Photo
from members.models import Activity
from members.scoring import load_rules, tally
from tests.gallery.conftest import gps_exif, image_bytes, upload_file

pytestmark = pytest.mark.django_db


def _stored(photo):
    photo.image.file.open("rb")
    try:
        return photo.image.file.read()
    finally:
        photo.image.file.close()


def test_gps_and_other_metadata_are_removed_before_storing(resident):
    original = image_bytes(exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test file does carry a position
    upload = services.Upload(file=upload_file(content=original), alt_text="Le jardin", credit="Nadia")

    photo = services.upload_photo(resident, upload)

    stored = _stored(photo)
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.format == "JPEG"
    assert not reopened.getexif()  # no EXIF at all: no GPS, no maker, no author
    assert b"Nadia Martin" not in stored and b"PhoneMaker" not in stored
    assert stored != original  # the upload itself is not what is kept
    assert (photo.image.width, photo.image.height) == (800, 600)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_keep_their_format(resident, fmt):
    upload = services.Upload(file=upload_file(name="x.img", content=image_bytes(fmt)), alt_text="a", credit="b")
    photo = services.upload_photo(resident, upload)
    assert Image.open(io.BytesIO(_stored(photo))).format == fmt


def test_the_orientation_is_applied_before_the_exif_goes(resident):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    upload = services.Upload(
        file=upload_file(content=image_bytes(size=(400, 200), exif=exif)), alt_text="a", credit="b"
    )
    photo = services.upload_photo(resident, upload)
    assert (photo.image.width, photo.image.height) == (200, 400)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"GIF89a" + b"\0" * 100, "type"),
        (b"%PDF-1.7 not a photo", "type"),
        (image_bytes()[:300], "broken"),
    ],
)
def test_wrong_type_and_broken_files_are_refused(resident, content, code):
    upload = services.Upload(file=upload_file(content=content), alt_text="a", credit="b")
    with pytest.raises(ValidationError) as error:
        services.upload_photo(resident, upload)
    assert error.value.code == code
    assert not Photo.objects.exists()


def test_a_gif_named_jpg_is_refused_from_its_content(resident):
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    with pytest.raises(ValidationError) as error:
        images.clean_photo(upload_file(name="photo.jpg", content=out.getvalue()))
    assert error.value.code == "type"


def test_too_large_and_too_many_pixels(resident, settings):
    settings.GALLERY_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        images.clean_photo(upload_file())
    assert error.value.code == "size"
    settings.GALLERY_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    settings.GALLERY_MAX_PIXELS = 1_000_000
    # A small file declaring many pixels (a decompression bomb) is refused before it is decoded.
    with pytest.raises(ValidationError) as error:
        images.clean_photo(upload_file(content=image_bytes("PNG", size=(2000, 1000), color=(0, 0, 0))))
    assert error.value.code == "pixels"


def test_alternative_text_is_required(resident):
    with pytest.raises(ValidationError):
        services.upload_photo(resident, services.Upload(file=upload_file(), alt_text="  ", credit="b"))
    assert not Photo.objects.exists()


def test_unverified_members_cannot_upload(make_user):
    user = make_user("new@example.fr", verified=False)
    with pytest.raises(PermissionDenied):
        services.upload_photo(user, services.Upload(file=upload_file(), alt_text="a", credit="b"))


def test_each_upload_is_a_ledger_line_that_scores_once_patrolled(resident, moderator, make_photo):
    photo = make_photo()
    line = Activity.objects.get(kind=Activity.Kind.PHOTO)
    assert line.member == resident.member and photo.activity == line
    assert not photo.patrolled  # a new member: waits for a moderator
    rules = load_rules()
    assert Activity.Kind.PHOTO not in tally(rules).get(resident.member.pk, _empty()).breakdown
    services.patrol_photo(moderator, photo)
    assert tally(rules)[resident.member.pk].breakdown[Activity.Kind.PHOTO] == rules.weights[Activity.Kind.PHOTO] > 0


def _empty():
    class Empty:
        breakdown = {}

    return Empty()


def test_hiding_voids_the_points_and_only_moderators_may(resident, moderator, make_photo):
    photo = make_photo()
    with pytest.raises(PermissionDenied):
        services.hide_photo(resident, photo, "no")
    services.hide_photo(moderator, photo, "Une personne reconnaissable")
    photo.refresh_from_db()
    assert photo.hidden and photo.hidden_by == moderator
    assert Activity.objects.filter(kind=Activity.Kind.HIDDEN, concerns=photo.activity).exists()
    assert not Photo.objects.visible().exists()
    services.show_photo(moderator, photo)
    assert Photo.objects.visible().count() == 1
    assert Activity.objects.filter(kind=Activity.Kind.RESTORED, concerns__kind=Activity.Kind.HIDDEN).exists()


def test_uploads_are_rate_limited_lower_for_new_accounts(resident, rate_limits, settings):
    settings.GALLERY_UPLOADS_PER_HOUR_NEW = 2
    for _ in range(2):
        services.upload_photo(resident, services.Upload(file=upload_file(), alt_text="a", credit="b"))
    with pytest.raises(services.UploadsLimited) as error:
        services.upload_photo(resident, services.Upload(file=upload_file(), alt_text="a", credit="b"))
    assert "2" in error.value.message
    assert Photo.objects.count() == 2


def test_moderators_are_not_rate_limited(moderator, rate_limits, settings):
    settings.GALLERY_UPLOADS_PER_HOUR_NEW = settings.GALLERY_UPLOADS_PER_HOUR = 1
    for _ in range(2):
        services.upload_photo(moderator, services.Upload(file=upload_file(), alt_text="a", credit="b"))
    assert Photo.objects.filter(patrolled=True).count() == 2
