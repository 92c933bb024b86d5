"""The moderation queue in the Wagtail admin: who opens it, what it shows, the decisions, its query count."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from discussion import moderation, services
from discussion.models import Comment, Report
from members import scoring
from members.models import Activity, ModerationDecision
from tests.discussion.conftest import LONG

QUEUE = "/admin/moderation/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.DISCUSSION_COMMENTS_PER_HOUR_NEW = 1000


def item_url(item):
    return reverse("discussion_moderation_item", args=[item.kind, item.obj.pk])


@pytest.fixture
def reported(wiki_page, resident, make_reporters, threshold):
    """A comment hidden by two reports (threshold 1), a shown one with one report, a member reported."""
    threshold(1)
    hidden = services.post_comment(resident, wiki_page, "Un commentaire insultant, long assez pour compter.")
    shown = services.post_comment(resident, wiki_page, "Un commentaire discuté, long assez pour compter ici.")
    first, second = make_reporters(2)
    for reporter in (first, second):
        moderation.file_report(reporter, moderation.comment_item(hidden), "harassment", f"Vu par {reporter.member}")
    moderation.file_report(first, moderation.comment_item(shown), "false_information", "Faux")
    moderation.file_report(second, moderation.member_item(resident.member), "spam")
    hidden.refresh_from_db()
    assert hidden.state == Comment.State.HIDDEN
    return {"hidden": hidden, "shown": shown, "reporters": (first, second)}


ROLES = ["anonymous", "resident", "trusted_resident", "moderator", "senior_moderator", "staff"]


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_open_the_queue_and_decide(client, request, role, reported):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if user:
        client.force_login(user)
    item = moderation.comment_item(reported["hidden"])
    response = client.get(QUEUE)
    if role in ("moderator", "senior_moderator", "staff"):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Un commentaire insultant" in html and "Un commentaire discuté" in html and "Nadia" in html
        assert item_url(item) in html
        assert client.get(item_url(item)).status_code == 200
        assert QUEUE in client.get("/admin/").content.decode()  # the menu item
    else:
        assert response.status_code == 302
        assert client.get(item_url(item)).status_code == 302
        response = client.post(item_url(item), {"action": "restore", "restore-statement": "Rétabli."})
        assert response.status_code == 302
        assert Comment.objects.get(pk=item.obj.pk).state == Comment.State.HIDDEN


def test_an_admin_user_who_is_not_a_moderator_is_refused(client, reported, make_user):
    editor = make_user("editor@example.fr", pseudonym="Editrice")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert QUEUE not in client.get("/admin/").content.decode()
    assert client.get(QUEUE).status_code == 302


def test_the_queue_shows_reasons_details_track_record_and_sorts(client, moderator, reported):
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert "Insult or harassment" in html and "Vu par Rep 0" in html and "False information" in html
    assert "(2 reports filed,\n    0 upheld,\n    0 dismissed;" in html  # each reporter's track record
    newest = client.get(QUEUE + "?order=newest").content.decode()
    most = client.get(QUEUE + "?order=most").content.decode()
    # Newest first: the member reported last comes first; most reported first: the hidden comment.
    assert newest.index("Recent activity") < newest.index("Un commentaire insultant")
    assert most.index("Un commentaire insultant") < most.index("Recent activity")
    assert client.get(QUEUE + "?order=sideways").status_code == 400


def test_restoring_from_the_queue_gives_the_comment_and_its_points_back(client, moderator, reported, resident):
    client.force_login(moderator)
    hidden = reported["hidden"]
    item = moderation.comment_item(hidden)
    page = client.get(item_url(item)).content.decode()
    assert "Restore" in page and "Confirm the hiding" in page and "is shown again" in page  # the prefilled statement
    response = client.post(item_url(item), {"action": "restore", "restore-statement": "Votre commentaire est rétabli."})
    assert response.status_code == 302 and response["Location"] == QUEUE
    hidden.refresh_from_db()
    assert hidden.state == Comment.State.PUBLISHED
    decision = ModerationDecision.objects.get(action="restore")
    assert decision.statement == "Votre commentaire est rétabli." and decision.member == resident.member
    assert Report.objects.filter(target=item.target, state=Report.State.DISMISSED).count() == 2


def test_confirming_the_hiding_upholds_the_reports_and_rewards_the_reporters(client, moderator, reported):
    client.force_login(moderator)
    item = moderation.comment_item(reported["hidden"])
    response = client.post(
        item_url(item), {"action": "hide", "hide-rule": "harassment", "hide-statement": "Masqué : insultes."}
    )
    assert response.status_code == 302
    assert Report.objects.filter(target=item.target, state=Report.State.UPHELD).count() == 2
    for reporter in reported["reporters"]:
        breakdown = scoring.member_standing(reporter.member).breakdown
        assert breakdown.get(str(Activity.Kind.REPORT_UPHELD)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "hide", "hide-rule": "harassment", "hide-statement": ""}, "Write the statement of reasons"),
        ({"action": "hide", "hide-rule": "", "hide-statement": "x"}, "Choose the rule this item breaks."),
        ({"action": "hide", "hide-rule": "harassment", "hide-statement": "x" * 5001}, "at most 5000"),
        ({"action": "escalate", "escalate-note": ""}, "Write a note for the senior moderator."),
    ],
)
def test_bad_decisions_are_explained_and_kept(client, moderator, reported, data, message):
    client.force_login(moderator)
    item = moderation.comment_item(reported["shown"])
    response = client.post(item_url(item), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ModerationDecision.objects.exclude(action__in=["report", "auto_hide"]).exists()


def test_a_decision_that_no_longer_applies_is_explained(client, moderator, reported):
    client.force_login(moderator)
    item = moderation.comment_item(reported["shown"])
    response = client.post(item_url(item), {"action": "restore", "restore-statement": "x"}, follow=True)
    assert "no longer applies" in response.content.decode()
    assert client.post(item_url(item), {"action": "explode"}).status_code == 302
    assert client.get(reverse("discussion_moderation_item", args=["photo", 1])).status_code == 404
    assert client.get(reverse("discussion_moderation_item", args=["comment", 999999])).status_code == 404
    assert not ModerationDecision.objects.exclude(action__in=["report", "auto_hide"]).exists()


def test_escalate_then_the_escalated_filter_and_dismiss(client, moderator, senior_moderator, reported):
    client.force_login(moderator)
    shown = moderation.comment_item(reported["shown"])
    response = client.post(item_url(shown), {"action": "escalate", "escalate-note": "Un avis senior ?"})
    assert response.status_code == 302
    client.force_login(senior_moderator)
    escalated = client.get(QUEUE + "?escalated=on").content.decode()
    assert "Un commentaire discuté" in escalated and "Un commentaire insultant" not in escalated
    assert client.post(item_url(shown), {"action": "dismiss", "dismiss-note": ""}).status_code == 302
    assert Report.objects.get(target=shown.target).state == Report.State.DISMISSED
    assert "Un commentaire discuté" not in client.get(QUEUE).content.decode()


def test_member_reports_link_to_sanctions_only_once_they_exist(client, moderator, reported, resident):
    client.force_login(moderator)
    page = client.get(item_url(moderation.member_item(resident.member))).content.decode()
    assert "Dismiss the reports" in page and "Escalate" in page and ">Hide<" not in page


def test_held_comments_are_listed_and_published(client, moderator, wiki_page, resident):
    held = services.post_comment(resident, wiki_page, LONG)
    Comment.objects.filter(pk=held.pk).update(state=Comment.State.HELD)
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert "1 comment waits for a moderator" in html and "Je pense que ce jardin" in html
    item = moderation.comment_item(held)
    assert client.post(item_url(item), {"action": "publish", "publish-note": ""}).status_code == 302
    held.refresh_from_db()
    assert held.state == Comment.State.PUBLISHED


def fill(wiki_page, author, reporters, count, prefix):
    for n in range(count):
        comment = services.post_comment(author, wiki_page, f"{prefix} {n}: {LONG}")
        for reporter in reporters:
            moderation.file_report(reporter, moderation.comment_item(comment), "spam", "Détails")
        Comment.objects.filter(pk=comment.pk).update(state=Comment.State.PUBLISHED)
    for n in range(count):
        held = services.post_comment(author, wiki_page, f"{prefix} retenu {n}: {LONG}")
        Comment.objects.filter(pk=held.pk).update(state=Comment.State.HELD)


def test_the_queue_has_a_fixed_number_of_queries(
    client, moderator, wiki_page, resident, make_reporters, threshold, django_assert_max_num_queries
):
    threshold(100)
    reporters = make_reporters(3)
    client.force_login(moderator)
    fill(wiki_page, resident, reporters, 2, "petit")
    client.get(QUEUE)  # warm the admin's caches
    with django_assert_max_num_queries(30) as small:
        assert client.get(QUEUE).status_code == 200
    fill(wiki_page, resident, reporters + make_reporters(3, prefix="autre"), 20, "grand")
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(QUEUE)
    assert response.status_code == 200 and "grand 19" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
