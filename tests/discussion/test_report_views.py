"""The report forms (/discussion/report/…) for every role, their links, and bad input: explained, kept, never a 500."""

import pytest
from django.urls import reverse

from discussion import services
from discussion.models import Report
from members.models import ModerationDecision
from tests.discussion.conftest import LONG
from wiki import services as wiki_services

ROLES = [
    "anonymous",
    "unverified",
    "resident",
    "trusted_resident",
    "blocked",
    "moderator",
    "senior_moderator",
    "staff",
]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.DISCUSSION_COMMENTS_PER_HOUR_NEW = 100


@pytest.fixture
def as_role(request, client):
    def sign_in(role):
        if role == "anonymous":
            return None
        user = request.getfixturevalue(role)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def comment(wiki_page, other_resident):
    return services.post_comment(other_resident, wiki_page, LONG)


def comment_report_url(comment):
    return reverse("discussion:report-comment", args=[comment.pk])


@pytest.mark.parametrize("role", ROLES)
def test_reporting_a_comment_for_every_role(client, as_role, role, comment):
    user = as_role(role)
    url = comment_report_url(comment)
    response = client.get(url)
    if user is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert client.post(url, {"reason": "spam"}).status_code == 302
        assert not Report.objects.exists()
        return
    html = response.content.decode()
    assert response.status_code == 200 and LONG[:30] in html
    if role == "unverified":
        assert "Confirm your email address" in html and 'name="reason"' not in html
        assert client.post(url, {"reason": "spam"}).status_code == 400
        assert not Report.objects.exists()
        return
    assert 'name="reason"' in html and 'name="details"' in html
    response = client.post(url, {"reason": "harassment", "details": "Insultes répétées."})
    assert response.status_code == 302 and response["Location"] == url
    made = Report.objects.get()
    assert made.reporter == user and made.reason == "harassment" and made.comment == comment
    assert ModerationDecision.objects.filter(action="report", actor=user).count() == 1
    again = client.get(url).content.decode()
    assert "your report was sent to the moderators" in again and "You already reported this" in again


def test_a_discussion_shows_a_report_link_to_members_not_on_their_own_comments(client, comment, resident, wiki_page):
    url = reverse("discussion:page", args=[wiki_page.pk])
    assert comment_report_url(comment) not in client.get(url).content.decode()
    client.force_login(resident)
    assert comment_report_url(comment) in client.get(url).content.decode()
    own = services.post_comment(resident, wiki_page, LONG + " à moi")
    assert comment_report_url(own) not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "spam", "details": "x" * 1001}, "at most 1000 characters"),
        ({"details": "Pas de raison choisie"}, "Choose the reason of your report."),
        ({"reason": "rude", "details": "Raison inventée"}, "Choose the reason of your report."),
        ({"reason": "spam", "details": "nul\x00"}, "Null characters"),
    ],
)
def test_bad_input_is_explained_and_kept(client, resident, comment, data, message):
    client.force_login(resident)
    response = client.post(comment_report_url(comment), data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert data["details"][:50].replace("\x00", "") in html
    assert not Report.objects.exists()


def test_a_second_report_and_a_removed_item_are_refused_with_the_text_kept(
    client, resident, trusted_resident, comment, other_resident
):
    client.force_login(resident)
    url = comment_report_url(comment)
    client.post(url, {"reason": "spam"})
    response = client.post(url, {"reason": "illegal", "details": "Encore"})
    assert response.status_code == 400 and "You already reported this" in response.content.decode()
    assert "Encore" in response.content.decode()
    services.delete_comment(other_resident, comment)
    client.force_login(trusted_resident)
    response = client.post(url, {"reason": "spam", "details": "Trop tard"})
    assert response.status_code == 400 and "already removed" in response.content.decode()
    assert Report.objects.count() == 1


def test_forged_and_foreign_ids_are_not_found(client, resident, wiki_page, comment):
    from wagtail.models import PageViewRestriction

    client.force_login(resident)
    for url in [
        "/discussion/report/comment/999999/",
        "/discussion/report/comment/abc/",
        "/discussion/report/comment/99999999999999999999/",
        "/discussion/report/revision/999999/",
        "/discussion/report/member/999999/",
    ]:
        assert client.get(url).status_code == 404, url
    # A comment or version of a private page the member may not see.
    PageViewRestriction.objects.create(page=wiki_page, restriction_type=PageViewRestriction.GROUPS).groups.set([])
    assert client.get(comment_report_url(comment)).status_code == 404
    url = reverse("discussion:report-revision", args=[wiki_page.latest_revision_id])
    assert client.post(url, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_reporting_a_version_from_the_history(client, other_resident, wiki_page, resident):
    wiki_services.edit_page(
        resident,
        wiki_page,
        base_revision_id=wiki_page.latest_revision_id,
        title=wiki_page.title,
        body="Un jardin partagé et une adresse privée.",
    )
    wiki_page.refresh_from_db()
    client.force_login(other_resident)
    url = reverse("discussion:report-revision", args=[wiki_page.latest_revision_id])
    history = client.get(wiki_page.url + "history/").content.decode()
    assert url in history
    response = client.post(url, {"reason": "personal_data", "details": "Une adresse"})
    assert response.status_code == 302
    made = Report.objects.get()
    assert made.kind == Report.Kind.REVISION and made.page_id == wiki_page.pk and made.member == resident.member


def test_reporting_a_member_from_their_contributions(client, other_resident, resident):
    resident.member.show_on_leaderboard = True
    resident.member.save()
    client.force_login(other_resident)
    url = reverse("discussion:report-member", args=[resident.member.pk])
    page = client.get(reverse("leaderboard:member-contributions", args=[resident.member.pk])).content.decode()
    assert url in page
    assert client.post(url, {"reason": "harassment"}).status_code == 302
    assert Report.objects.get().kind == Report.Kind.MEMBER
    # Oneself: refused.
    client.force_login(resident)
    own = client.get(url).content.decode()
    assert "You cannot report your own contribution or yourself" in own and 'name="reason"' not in own


def test_me_points_explains_reports_and_restorations(client, resident):
    client.force_login(resident)
    html = client.get("/me/points/").content.decode()
    assert 'id="reports-points"' in html and "Report upheld" in html
