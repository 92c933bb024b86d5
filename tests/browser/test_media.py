"""A resident on a phone uploads a photo from the edit form, places it and sees it in the saved page;
a video waits for a click before anything is loaded from its provider; axe on a page with photos,
a gallery and a video placeholder."""

import pytest

from gallery import services as gallery_services
from tests.browser.test_wiki import sign_in
from tests.gallery.conftest import image_bytes, upload_file
from wiki import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_resident_uploads_a_photo_from_a_phone_and_places_it(page, territory, resident, assert_accessible):
    garden = services.create_page(resident, territory["genicart"], "Le jardin partagé", "Des bacs.", "")
    sign_in(page, resident.email, f"{garden.url}edit/")
    page.locator("details.photo-picker summary").click()
    page.locator("input[name=photo-file]").set_input_files(
        {"name": "jardin.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(1200, 900))}
    )
    page.locator("input[name=photo-alt_text]").fill("Les bacs du jardin au printemps")
    page.locator("input[name=photo-credit]").fill("Nadia")
    page.locator("button[name=upload_photo]").click()

    assert "photo:" in page.locator("textarea[name=body]").input_value()
    assert page.locator(".preview figure.photo img").get_attribute("alt") == "Les bacs du jardin au printemps"
    assert_accessible(page)
    page.locator("button[name=save]").click()
    page.wait_for_url(f"**{garden.url}")
    image = page.locator(".wiki-body figure.photo img")
    assert image.get_attribute("alt") == "Les bacs du jardin au printemps"
    assert image.get_attribute("loading") == "lazy"
    assert "320w" in image.get_attribute("srcset")
    assert "Nadia" in page.locator(".wiki-body figcaption").inner_text()


def test_a_video_loads_only_after_the_click(page, territory, resident, assert_accessible):
    photos = [
        gallery_services.upload_photo(
            resident, gallery_services.Upload(file=upload_file(), alt_text=f"Passerelle {when}", credit="N")
        )
        for when in ("avant", "après")
    ]
    body = (
        f'Le chantier.\n\n![](photo:{photos[0].pk} "Avant") ![](photo:{photos[1].pk} "Après")\n\n'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n"
    )
    project = services.create_page(
        resident, territory["genicart"], "La passerelle", body, "", page_type="project", facts={"status": "idea"}
    )
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="<p>vidéo</p>"))
    page.goto(project.url)
    assert page.locator(".photo-gallery figure.photo").count() == 2
    placeholder = page.locator(".video-embed")
    assert "youtube-nocookie.com" in placeholder.inner_text()  # says what clicking sends to whom
    assert placeholder.locator("iframe").count() == 0
    assert not [url for url in requests if "youtube" in url]
    assert_accessible(page)

    placeholder.get_by_role("button", name="Lire la vidéo ici").click()
    frame = placeholder.locator("iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    page.wait_for_timeout(300)
    assert [url for url in requests if url.startswith("https://www.youtube-nocookie.com/embed/")]
