"""The queue and the sanctions: the sanction link names the item, a sanction upholds member reports,
escalated items are for the senior tier."""

import pytest
from django.urls import reverse

from discussion import moderation, services
from discussion.models import Report
from members.models import Activity, ModerationDecision

Action = ModerationDecision.Action
QUEUE = "/admin/moderation/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def comment(wiki_page, resident):
    return services.post_comment(resident, wiki_page, "Un commentaire discuté, long assez pour compter ici.")


def item_url(item):
    return reverse("discussion_moderation_item", args=[item.kind, item.obj.pk])


def test_the_sanction_link_passes_the_latest_report_line(client, senior_moderator, comment, resident, make_reporters):
    (reporter,) = make_reporters(1)
    moderation.file_report(reporter, moderation.comment_item(comment), "harassment")
    line = ModerationDecision.objects.get(action=Action.REPORT)
    sanction_url = reverse("members_sanction", args=[resident.member.pk]) + f"?decision={line.pk}"
    client.force_login(senior_moderator)
    assert sanction_url in client.get(QUEUE).content.decode()
    assert sanction_url in client.get(item_url(moderation.comment_item(comment))).content.decode()
    form = client.get(sanction_url).content.decode()
    assert f'name="decision" value="{line.pk}"' in form and line.target_label in form


def sanction(client, user, member, line=None, action="warn"):
    url = reverse("members_sanction", args=[member.pk])
    data = {"action": action, "rule": "harassment", "statement": "Merci de rester courtois.", "note": ""}
    if line is not None:
        data["decision"] = line.pk
    client.force_login(user)
    return client.post(url, data)


@pytest.mark.parametrize("from_report", [True, False])
def test_a_sanction_upholds_the_open_member_reports(client, senior_moderator, resident, make_reporters, from_report):
    first, second = make_reporters(2)
    for reporter in (first, second):
        moderation.file_report(reporter, moderation.member_item(resident.member), "harassment")
    line = ModerationDecision.objects.filter(action=Action.REPORT).order_by("pk").last()
    response = sanction(client, senior_moderator, resident.member, line if from_report else None)
    assert response.status_code == 302
    assert set(Report.objects.values_list("state", flat=True)) == {Report.State.UPHELD}
    assert Activity.objects.filter(kind=Activity.Kind.REPORT_UPHELD).count() == 2
    assert not moderation.queue().exists()


def test_a_sanction_leaves_reports_on_items_open(client, senior_moderator, resident, comment, make_reporters):
    (reporter,) = make_reporters(1)
    moderation.file_report(reporter, moderation.comment_item(comment), "harassment")
    assert sanction(client, senior_moderator, resident.member).status_code == 302
    assert Report.objects.get().state == Report.State.OPEN


@pytest.fixture
def escalated(comment, make_reporters, moderator):
    (reporter,) = make_reporters(1)
    item = moderation.comment_item(comment)
    moderation.file_report(reporter, item, "harassment")
    moderation.escalate(moderator, item, "À voir par un senior.")
    return moderation.comment_item(comment)


def test_a_first_tier_moderator_reads_an_escalated_item_only(client, moderator, escalated):
    client.force_login(moderator)
    response = client.get(item_url(escalated))
    html = response.content.decode()
    assert response.status_code == 200 and "senior moderator" in html
    assert 'name="action"' not in html
    response = client.post(item_url(escalated), {"action": "dismiss", "dismiss-note": ""})
    assert Report.objects.get().state == Report.State.OPEN
    with pytest.raises(moderation.DecisionRefused):
        moderation.dismiss_reports(moderator, escalated)


@pytest.mark.parametrize("role", ["senior_moderator", "staff"])
def test_the_senior_tier_decides_on_an_escalated_item(client, request, role, escalated):
    client.force_login(request.getfixturevalue(role))
    assert 'value="dismiss"' in client.get(item_url(escalated)).content.decode()
    response = client.post(item_url(escalated), {"action": "dismiss", "dismiss-note": ""})
    assert response.status_code == 302
    assert Report.objects.get().state == Report.State.DISMISSED


def test_a_resident_cannot_open_an_escalated_item(client, resident, escalated):
    client.force_login(resident)
    assert client.get(item_url(escalated)).status_code in (302, 403)
