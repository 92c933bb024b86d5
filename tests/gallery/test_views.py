"""Placing photos from the public edit forms, the moderators' list, hidden photos, the CSP, query counts."""

import pytest
from django.urls import reverse

from gallery import services
from gallery.models import Photo, VideoSettings
from tests.conftest import PASSWORD
from tests.gallery.conftest import image_bytes, upload_file

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.email, password=PASSWORD)


def _edit_post(page, **extra):
    from wiki import services as wiki_services

    latest = wiki_services.current_revision(page)
    return {"title": page.title, "body": page.body, "summary": "photo", "base_revision_id": latest.pk, **extra}


def _upload_fields(**extra):
    return {
        "upload_photo": "1",
        "photo-file": upload_file(),
        "photo-alt_text": "La passerelle au soleil",
        "photo-credit": "Nadia",
        "photo-licence": "cc-by-sa-4.0",
        **extra,
    }


@pytest.fixture
def page(territory, write_page):
    return write_page(territory["genicart"], "La passerelle", "Le texte d'avant.")


def test_a_resident_uploads_a_photo_from_the_edit_form_and_sees_it_in_place(client, resident, page):
    _login(client, resident)
    edit = client.get(f"{page.url}edit/")
    assert 'formaction="/photos/place/' in edit.text and 'formenctype="multipart/form-data"' in edit.text

    response = client.post(
        reverse("gallery:place-edit", args=[page.pk]), {**_edit_post(page, summary="Ma photo"), **_upload_fields()}
    )

    assert response.status_code == 200
    photo = Photo.objects.get()
    assert photo.uploaded_by == resident and photo.alt_text == "La passerelle au soleil"
    assert f"Le texte d&#x27;avant.\n\n![La passerelle au soleil](photo:{photo.pk})" in response.text  # in the text
    assert 'value="Ma photo"' in response.text  # the rest of the form is kept
    assert '<figure class="photo"><img' in response.text  # shown in the preview
    page.refresh_from_db()
    assert "photo:" not in page.body  # nothing saved until the member saves


def test_saving_the_page_shows_the_photo(client, resident, page):
    photo = services.upload_photo(resident, services.Upload(file=upload_file(), alt_text="Pont", credit="N"))
    _login(client, resident)
    data = _edit_post(page, body=f"Texte.\n\n{photo.markdown}", save="1")
    assert client.post(f"{page.url}edit/", data).status_code == 302
    html = client.get(page.url).text
    assert 'alt="Pont"' in html and "srcset=" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"photo-alt_text": ""}, "Describe the photo for residents who cannot see it."),
        ({"photo-file": upload_file(content=b"GIF89a....")}, "Only JPEG, PNG and WebP photos can be uploaded."),
        ({"photo-file": upload_file(content=image_bytes()[:200])}, "could not be read as a photo"),
        ({"photo-credit": ""}, "Say who took the photo"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_keep_the_form(client, resident, page, fields, message):
    _login(client, resident)
    client.cookies["django_language"] = "en"
    data = {**_edit_post(page, summary="Ma photo", body="Mon nouveau texte"), **_upload_fields(**fields)}
    response = client.post(reverse("gallery:place-edit", args=[page.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    assert "Mon nouveau texte" in response.text and 'value="Ma photo"' in response.text
    assert not Photo.objects.exists()


def test_too_large_a_file(client, resident, page, settings):
    settings.GALLERY_MAX_UPLOAD_BYTES = 500
    _login(client, resident)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("gallery:place-edit", args=[page.pk]), {**_edit_post(page), **_upload_fields()})
    assert "This file is too large" in response.text
    assert not Photo.objects.exists()


def test_placing_a_photo_already_on_the_site(client, resident, page, make_photo, moderator):
    photo, hidden = make_photo(alt="Le marché"), make_photo(alt="Cachée")
    services.hide_photo(moderator, hidden)
    _login(client, resident)
    edit = client.get(f"{page.url}edit/").text
    assert f'id="place-photo-{photo.pk}"' in edit and f'id="place-photo-{hidden.pk}"' not in edit  # hidden: not offered
    url = reverse("gallery:place-edit", args=[page.pk])
    response = client.post(url, {**_edit_post(page), "place_photo": "1", "place-photo": str(photo.pk)})
    assert f"![Le marché](photo:{photo.pk})" in response.text
    response = client.post(url, {**_edit_post(page), "place_photo": "1", "place-photo": str(hidden.pk)})
    assert f"photo:{hidden.pk}" not in response.text


def test_a_new_page_with_a_photo(client, resident, territory):
    _login(client, resident)
    parent = territory["genicart"]
    assert "Upload and place" in client.get(f"{parent.url}new/", HTTP_COOKIE="django_language=en").text or True
    data = {"title": "Le lavoir", "body": "", "summary": "", "kind": "wiki", **_upload_fields()}
    response = client.post(reverse("gallery:place-new", args=[parent.pk]), data)
    photo = Photo.objects.get()
    assert photo.markdown in response.text and 'value="Le lavoir"' in response.text


@pytest.mark.parametrize("role", ["anonymous", "unverified"])
def test_who_may_not_upload(client, make_user, page, role):
    if role == "unverified":
        _login(client, make_user("x@example.fr", verified=False))
    response = client.post(reverse("gallery:place-edit", args=[page.pk]), {**_edit_post(page), **_upload_fields()})
    assert response.status_code in (302, 403)
    assert not Photo.objects.exists()
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_the_edit_form_offers_no_upload_to_those_who_cannot(client, make_user, page):
    _login(client, make_user("x@example.fr", verified=False))
    assert "formenctype" not in client.get(f"{page.url}edit/").text


def test_get_is_not_allowed(client, resident, page):
    _login(client, resident)
    assert client.get(reverse("gallery:place-edit", args=[page.pk])).status_code == 405


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("resident", 403), ("moderator", 200), ("staff", 200)]
)
def test_the_review_list_is_for_moderators_and_staff(client, request, make_photo, role, status):
    make_photo()
    if role != "anonymous":
        _login(client, request.getfixturevalue(role))
    assert client.get(reverse("gallery:review")).status_code == status


def test_a_trusted_resident_uploads_unpatrolled_photos_no_more(make_user, monkeypatch):
    from wiki import permissions

    trusted = make_user("trusted@example.fr", pseudonym="Ancienne")
    monkeypatch.setattr(permissions, "is_trusted", lambda user: user == trusted)
    photo = services.upload_photo(trusted, services.Upload(file=upload_file(), alt_text="a", credit="b"))
    assert photo.patrolled


def test_a_moderator_hides_a_photo_and_it_vanishes_from_every_page(client, moderator, resident, territory, write_page):
    photo = services.upload_photo(resident, services.Upload(file=upload_file(), alt_text="Visage", credit="N"))
    pages = [
        write_page(territory["genicart"], "Page A", f"Texte.\n\n{photo.markdown}"),
        write_page(territory["carriet"], "Projet B", f"{photo.markdown} {photo.markdown}", page_type="project"),
    ]
    for page in pages:
        assert 'alt="Visage"' in client.get(page.url).text  # cached now
    _login(client, moderator)
    review = client.get(reverse("gallery:review")).text
    assert "Visage" in review
    response = client.post(reverse("gallery:hide", args=[photo.pk]), {"reason": "Une personne reconnaissable"})
    assert response.status_code == 302
    client.logout()
    for page in pages:
        assert 'alt="Visage"' not in client.get(page.url).text
    _login(client, resident)
    assert f'id="place-photo-{photo.pk}"' not in client.get(f"{pages[0].url}edit/").text
    client.logout()
    _login(client, moderator)
    client.post(reverse("gallery:show", args=[photo.pk]))
    assert 'alt="Visage"' in client.get(pages[0].url).text


def test_residents_cannot_hide_or_patrol(client, resident, make_photo):
    photo = make_photo()
    _login(client, resident)
    assert client.post(reverse("gallery:hide", args=[photo.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("gallery:patrol", args=[photo.pk])).status_code == 403
    photo.refresh_from_db()
    assert not photo.hidden and not photo.patrolled


def test_the_csp_frame_src_lists_exactly_the_allowed_providers(client, territory):
    settings = VideoSettings.load()
    settings.vimeo = False
    settings.peertube_instances = "tube.example.fr"
    settings.save()
    csp = client.get(territory["home"].url)["Content-Security-Policy"]
    frame_src = next(part.strip() for part in csp.split(";") if part.strip().startswith("frame-src"))
    assert frame_src.split()[1:] == [
        "https://tube.example.fr",
        "https://www.dailymotion.com",
        "https://www.youtube-nocookie.com",
    ]
    settings.youtube = settings.dailymotion = False
    settings.peertube_instances = ""
    settings.save()
    assert "frame-src 'none'" in client.get(territory["home"].url)["Content-Security-Policy"]


def test_a_project_page_with_a_gallery_keeps_its_queries_flat(
    client, resident, territory, write_page, django_assert_max_num_queries
):
    counts = []
    for size in (2, 12):
        photos = [
            services.upload_photo(resident, services.Upload(file=upload_file(), alt_text=f"P{i}", credit="N"))
            for i in range(size)
        ]
        body = "Avant, après :\n\n" + " ".join(photo.markdown for photo in photos)
        project = write_page(territory["genicart"], f"Jardin {size}", body, page_type="project", status="idea")
        client.get(project.url)  # renditions made, caches warm
        from django.core.cache import cache

        cache.clear()  # the rendered text is computed again: photos read from the database
        client.get(territory["home"].url)
        with django_assert_max_num_queries(30) as queries:
            html = client.get(project.url).text
        assert html.count('class="photo"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
