"""Photos are reported and hidden like a page version (issue #16): report, threshold, queue, restore, appeal."""

import pytest
from django.urls import reverse

from discussion import moderation
from discussion.models import Report
from gallery.models import Photo
from members.models import ModerationDecision
from members.services import appeal_decision, review_appeal
from tests.gallery import conftest as gallery_fixtures
from wiki import services as wiki_services

Action = ModerationDecision.Action

# The gallery's fixtures: a photo uploaded by the resident, media in the test's folder.
make_photo = gallery_fixtures.make_photo
_media_root = gallery_fixtures._media_root


@pytest.fixture
def photo(make_photo):
    return make_photo()


@pytest.fixture
def page_with_photo(territory, resident, photo):
    return wiki_services.create_page(
        resident, territory["genicart"], "La passerelle", f"Voici la passerelle.\n\n![La passerelle](photo:{photo.pk})"
    )


def report_url(photo):
    return reverse("discussion:report-photo", args=[photo.pk])


def hide_by_reports(make_reporters, photo, threshold):
    threshold(1)
    for reporter in make_reporters(2):
        moderation.file_report(reporter, moderation.photo_item(photo), "illegal")
    photo.refresh_from_db()


def test_a_page_links_each_photo_to_its_report_form(client, page_with_photo, photo):
    response = client.get(page_with_photo.url)
    assert report_url(photo) in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, photo):
    response = client.get(report_url(photo))
    assert response.status_code == 302 and "login" in response.url


def test_a_resident_reports_a_photo_once(client, other_resident, photo):
    client.force_login(other_resident)
    response = client.get(report_url(photo))
    assert response.status_code == 200 and photo.alt_text in response.content.decode()
    response = client.post(report_url(photo), {"reason": "personal_data", "details": "Ma maison"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.photo, report.member) == (Report.Kind.PHOTO, photo, photo.uploaded_by.member)
    assert ModerationDecision.objects.filter(action=Action.REPORT, target=f"gallery.photo:{photo.pk}").exists()
    response = client.post(report_url(photo), {"reason": "spam", "details": "encore"})
    assert response.status_code == 400 and "encore" in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize("data", [{}, {"reason": "nope"}, {"reason": "spam", "details": "a\x00b"}])
def test_bad_input_is_refused_clearly(client, other_resident, photo, data):
    client.force_login(other_resident)
    response = client.post(report_url(photo), data)
    assert response.status_code == 400 and not Report.objects.exists()


def test_the_uploader_cannot_report_their_own_photo(client, resident, photo):
    client.force_login(resident)
    client.post(report_url(photo), {"reason": "spam"})
    assert not Report.objects.exists()


def test_the_threshold_hides_the_photo_everywhere(client, make_reporters, photo, page_with_photo, threshold):
    assert photo.alt_text in client.get(page_with_photo.url).content.decode()
    hide_by_reports(make_reporters, photo, threshold)
    assert photo.hidden and not Photo.objects.visible().filter(pk=photo.pk).exists()
    auto = ModerationDecision.objects.get(action=Action.AUTO_HIDE)
    assert auto.member == photo.uploaded_by.member and auto.statement and auto.target == f"gallery.photo:{photo.pk}"
    html = client.get(page_with_photo.url).content.decode()
    assert "Photo indisponible" in html or "Photo unavailable" in html
    assert report_url(photo) not in html and "srcset" not in html


def test_the_queue_shows_a_photo_and_a_moderator_restores_it(
    client, make_reporters, photo, page_with_photo, threshold, moderator
):
    hide_by_reports(make_reporters, photo, threshold)
    client.force_login(moderator)
    html = client.get(reverse("discussion_moderation")).content.decode()
    assert photo.alt_text in html and "<img" in html
    item_url = reverse("discussion_moderation_item", args=["photo", photo.pk])
    assert item_url in html
    response = client.get(item_url)
    assert response.status_code == 200 and 'value="restore"' in response.content.decode()
    response = client.post(item_url, {"action": "restore", "restore-statement": "Rien à redire."})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert not photo.hidden
    assert set(Report.objects.values_list("state", flat=True)) == {Report.State.DISMISSED}
    assert photo.alt_text in client.get(page_with_photo.url).content.decode()


def test_a_moderator_confirms_the_hiding(client, make_reporters, photo, threshold, moderator):
    hide_by_reports(make_reporters, photo, threshold)
    client.force_login(moderator)
    item_url = reverse("discussion_moderation_item", args=["photo", photo.pk])
    response = client.post(item_url, {"action": "hide", "hide-rule": "illegal", "hide-statement": "Confirmé."})
    assert response.status_code == 302
    assert set(Report.objects.values_list("state", flat=True)) == {Report.State.UPHELD}


def test_a_resident_cannot_open_the_queue_item(client, other_resident, photo):
    client.force_login(other_resident)
    response = client.get(reverse("discussion_moderation_item", args=["photo", photo.pk]))
    assert response.status_code in (302, 403)


def test_an_appeal_granted_shows_the_photo_again(make_reporters, photo, threshold, resident, senior_moderator):
    hide_by_reports(make_reporters, photo, threshold)
    auto = ModerationDecision.objects.get(action=Action.AUTO_HIDE)
    appeal = appeal_decision(resident, auto, text="C'est la passerelle publique.")
    review_appeal(senior_moderator, appeal, grant=True, statement="Accordé.")
    photo.refresh_from_db()
    assert not photo.hidden


def test_the_queue_of_photos_has_a_fixed_number_of_queries(
    client,
    make_photo,
    make_reporters,
    threshold,
    moderator,
    django_assert_max_num_queries,
):
    threshold(100)
    (reporter,) = make_reporters(1)
    client.force_login(moderator)

    def fill(count):
        for n in range(count):
            moderation.file_report(reporter, moderation.photo_item(make_photo(alt=f"Photo {n}")), "spam")

    fill(2)
    client.get(reverse("discussion_moderation"))  # warm the caches and make the thumbnails
    with django_assert_max_num_queries(40) as small:
        assert client.get(reverse("discussion_moderation")).status_code == 200
    count = len(small.captured_queries)  # read before the next request resets the log
    fill(4)
    client.get(reverse("discussion_moderation"))  # the new thumbnails
    with django_assert_max_num_queries(count) as large:
        response = client.get(reverse("discussion_moderation"))
    assert response.status_code == 200 and "Photo 3" in response.content.decode()
    assert len(large.captured_queries) == count
