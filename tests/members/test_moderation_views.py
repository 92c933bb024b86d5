"""The views of sanctions, statements and appeals for every role, and the read-only moderation log."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.models import Site

from members.models import Block, ModerationDecision, ModerationSettings, Mute, Warning
from members.moderation import record_decision
from members.roles import MODERATORS, RESIDENTS
from members.services import appeal_decision, delete_account, mute_member, warn_member

pytestmark = pytest.mark.django_db
Action = ModerationDecision.Action
Rule = ModerationDecision.Rule
DAY = timedelta(days=1)
ROLES = ["anonymous", "resident", "trusted_resident", "moderator", "senior_moderator", "staff"]


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def trusted_resident(make_user):
    user = make_user("ancien@example.fr", pseudonym="Ancien", groups=[RESIDENTS])
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=400))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def target(make_user):
    return make_user("cible@example.fr", pseudonym="Cible", groups=[RESIDENTS])


@pytest.fixture
def other_moderator(make_user):
    return make_user("modo2@example.fr", pseudonym="Modo2", groups=[MODERATORS])


def login(client, request, role):
    if role == "anonymous":
        return None
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


def allow_moderators(on):
    rules = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    rules.moderators_may_sanction = on
    rules.save()


WARN = {"action": "warn", "duration": "7d", "rule": "spam", "statement": "Vous avez publié de la publicité."}
MAY_SANCTION = {"senior_moderator", "staff"}


# The sanction form --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_sanction_form_follows_the_tier(client, request, territory, target, role):
    login(client, request, role)
    url = reverse("members_sanction", args=[target.member.pk])
    get = client.get(url)
    post = client.post(url, WARN)
    if role in MAY_SANCTION:
        assert get.status_code == 200
        assert "contest this decision once" in get.text
        assert post.status_code == 302
        assert Warning.objects.filter(member=target.member).count() == 1
    else:
        assert get.status_code in (302, 403)
        assert post.status_code in (302, 403)
        assert not Warning.objects.exists()


def test_moderators_sanction_when_staff_allow_it(client, territory, target, moderator):
    client.force_login(moderator)
    url = reverse("members_sanction", args=[target.member.pk])
    refused = client.post(url, WARN)
    assert refused.status_code == 403
    assert "Settings › Moderation" in refused.text
    assert not Warning.objects.exists()
    allow_moderators(True)
    response = client.post(url, {**WARN, "action": "mute", "duration": "3d"})
    assert response.status_code == 302
    mute = Mute.objects.get(member=target.member)
    assert timedelta(days=3) - timedelta(minutes=1) < mute.ends_at - mute.starts_at <= timedelta(days=3)


def test_nobody_sanctions_themselves_staff_or_as_a_senior_a_moderator(
    client, territory, senior_moderator, staff, moderator
):
    client.force_login(senior_moderator)
    for victim, words in ((senior_moderator, "yourself"), (staff, "member of staff"), (moderator, "moderator")):
        response = client.post(reverse("members_sanction", args=[victim.member.pk]), WARN)
        assert response.status_code == 400
        assert words in response.text
    assert not Warning.objects.exists() and not ModerationDecision.objects.exists()


def test_a_block_from_the_sanction_form_is_the_existing_block(client, territory, target, staff):
    client.force_login(staff)
    url = reverse("members_sanction", args=[target.member.pk])
    assert client.post(url, {**WARN, "action": "block", "duration": "forever"}).status_code == 302
    block = Block.objects.get(member=target.member)
    assert block.ends_at is None and block.reason == WARN["statement"]
    assert ModerationDecision.objects.get(action=Action.BLOCK).rule == Rule.SPAM


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**WARN, "action": ""}, "Choose a sanction."),
        ({**WARN, "action": "ban"}, "Choose a sanction from the list."),
        ({**WARN, "action": "mute", "duration": "forever"}, "A mute has an end"),
        ({**WARN, "action": "mute", "duration": "99y"}, "Choose a duration from the list."),
        ({**WARN, "rule": "nope"}, "Choose a rule from the list."),
        ({**WARN, "statement": "   "}, "Write the statement of reasons"),
        ({**WARN, "statement": "x" * 5000}, "at most 4000"),
        ({**WARN, "statement": "a\x00b"}, "Null characters are not allowed"),
    ],
)
def test_bad_sanction_input_is_a_clear_message(client, territory, target, staff, data, message):
    client.force_login(staff)
    response = client.post(reverse("members_sanction", args=[target.member.pk]), data)
    assert response.status_code == 400
    assert message in response.text
    assert not ModerationDecision.objects.exists()


def test_the_sanction_form_starts_from_the_decision_it_follows(client, territory, target, staff):
    hide = record_decision(
        Action.HIDE,
        actor=staff,
        member=target.member,
        target="discussion.comment:5",
        target_label="Comment #5 on Lormont",
        rule=Rule.HARASSMENT,
    )
    client.force_login(staff)
    url = reverse("members_sanction", args=[target.member.pk])
    response = client.get(f"{url}?decision={hide.pk}")
    assert "Comment #5 on Lormont" in response.context["form"].initial["statement"]
    assert response.context["form"].initial["rule"] == Rule.HARASSMENT
    for forged in ("abc", "0", "99999999", "1e3", str(2**70)):
        assert client.get(f"{url}?decision={forged}").status_code == 200
    elsewhere = record_decision(Action.HIDE, actor=staff, member=staff.member, target_label="Someone else's")
    assert client.get(f"{url}?decision={elsewhere.pk}").context["source"] is None
    client.post(url, {**WARN, "decision": hide.pk})
    assert Warning.objects.get().decision.concerns == hide
    assert client.get(reverse("members_sanction", args=[99999999])).status_code == 404


# /me/: the decisions told, the warning to acknowledge, the appeal ---------------------------------


def test_me_lists_the_decisions_in_a_fixed_number_of_queries(
    client, territory, target, staff, django_assert_max_num_queries
):
    client.force_login(target)

    def decide(count):
        for index in range(count):
            record_decision(
                Action.HIDE,
                actor=staff,
                member=target.member,
                target=f"discussion.comment:{index}",
                target_label=f"Comment #{index}",
                target_url=f"/discussion/1/#comment-{index}",
                rule=Rule.SPAM,
                statement=f"Publicité {index}.",
            )

    decide(2)
    client.get("/me/")
    with django_assert_max_num_queries(30) as small:
        response = client.get("/me/")
    assert "Publicité 1." in response.text and "Contest this decision" in response.text
    decide(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/me/")
    assert response.text.count("Contest this decision") == 22
    assert 'href="/discussion/1/#comment-19"' in response.text and "Spam" in response.text


def test_a_warning_is_acknowledged_from_me(client, territory, target, senior_moderator, resident):
    warning = warn_member(target.member, by=senior_moderator, rule=Rule.SPAM, statement="Attention.")
    client.force_login(target)
    me = client.get("/me/")
    assert "I have read this warning" in me.text and "Attention." in me.text
    url = reverse("members:acknowledge-warning", args=[warning.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert Warning.objects.get(pk=warning.pk).acknowledged_at is not None
    assert "I have read this warning" not in client.get("/me/").text
    client.force_login(resident)
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "resident", "target"])
def test_a_member_contests_their_own_decision_once(client, request, territory, target, senior_moderator, role):
    warning = warn_member(target.member, by=senior_moderator, rule=Rule.SPAM, statement="Attention.")
    url = reverse("members:appeal", args=[warning.decision.pk])
    login(client, request, role)
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
        return
    if role == "resident":  # someone else's decision
        assert response.status_code == 404
        assert client.post(url, {"text": "Non."}).status_code == 404
        return
    assert response.status_code == 200 and "Attention." in response.text
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Ce n'était pas de la publicité."}).status_code == 302
    second = client.post(url, {"text": "Encore."})
    assert second.status_code == 400
    assert "a decision can be contested once" in second.text
    assert ModerationDecision.objects.filter(action=Action.APPEAL).count() == 1
    assert "You contested this decision" in client.get("/me/").text


def test_a_muted_member_still_reads_edits_their_profile_and_appeals(client, territory, target, senior_moderator):
    mute = mute_member(
        target.member, by=senior_moderator, ends_at=timezone.now() + DAY, rule=Rule.SPAM, statement="Publicité."
    )
    client.force_login(target)
    assert client.get(territory["lormont"].url).status_code == 200
    response = client.post(
        "/me/", {"pseudonym": "Cible2", "show_on_leaderboard": "", "accept_invitations": ""}, follow=True
    )
    assert response.status_code == 200
    target.member.refresh_from_db()
    assert target.member.pseudonym == "Cible2"
    appeal = client.post(reverse("members:appeal", args=[mute.decision.pk]), {"text": "Erreur."})
    assert appeal.status_code == 302


# Appeals in the admin ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_appeals_list_is_for_moderators(client, request, territory, target, senior_moderator, role):
    warning = warn_member(target.member, by=senior_moderator, rule=Rule.SPAM, statement="Attention.")
    appeal_decision(target, warning.decision, text="Je conteste.")
    login(client, request, role)
    response = client.get(reverse("members_appeals"))
    if role in ("moderator", "senior_moderator", "staff"):
        assert response.status_code == 200 and "Waiting for a review" in response.text
    else:
        assert response.status_code in (302, 403)


def test_the_appeals_list_takes_a_fixed_number_of_queries(
    client, territory, make_user, staff, senior_moderator, django_assert_max_num_queries
):
    def appeals(start, count):
        for index in range(start, start + count):
            member = make_user(f"appel{index}@example.fr", pseudonym=f"Appel {index}").member
            warning = warn_member(member, by=senior_moderator, rule=Rule.SPAM, statement="x")
            appeal_decision(member.user, warning.decision, text="Non.")

    client.force_login(staff)
    appeals(0, 2)
    client.get(reverse("members_appeals"))
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("members_appeals"))
    appeals(2, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("members_appeals"))
    assert response.text.count("Waiting for a review") == 17


def test_another_moderator_reviews_the_appeal(client, territory, target, moderator, other_moderator):
    hide = record_decision(
        Action.HIDE, actor=moderator, member=target.member, target="discussion.comment:1", statement="Insulte."
    )
    appeal = appeal_decision(target, hide, text="Ce n'est pas une insulte.")
    url = reverse("members_appeal_review", args=[appeal.pk])
    client.force_login(moderator)
    response = client.post(url, {"outcome": "reject", "statement": "Je maintiens."})
    assert response.status_code == 400
    assert "another moderator reviews the appeal" in response.text
    client.force_login(other_moderator)
    assert "Ce n&#x27;est pas une insulte." in client.get(url).text
    assert client.post(url, {"outcome": "maybe", "statement": "x"}).status_code == 400
    assert client.post(url, {"outcome": "reject", "statement": "La décision est maintenue."}).status_code == 302
    outcome = ModerationDecision.objects.get(action=Action.APPEAL_REJECTED)
    assert (outcome.actor, outcome.concerns) == (other_moderator, appeal)
    assert client.get(reverse("members_appeal_review", args=[hide.pk])).status_code == 404  # not an appeal


def test_a_granted_appeal_in_the_admin_lifts_the_mute(client, territory, target, staff, senior_moderator):
    mute = mute_member(target.member, by=staff, ends_at=timezone.now() + DAY, rule=Rule.SPAM, statement="Spam.")
    appeal = appeal_decision(target, mute.decision, text="Erreur.")
    client.force_login(senior_moderator)
    response = client.post(
        reverse("members_appeal_review", args=[appeal.pk]), {"outcome": "grant", "statement": "Levée."}
    )
    assert response.status_code == 302
    assert not Mute.objects.in_force().filter(member=target.member).exists()
    client.force_login(target)
    me = client.get("/me/").text
    assert "Your appeal was granted." in me and "Levée." in me


# The moderation log --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_moderation_log_is_read_by_moderators_and_staff(client, request, territory, target, staff, role):
    record_decision(Action.WARN, actor=staff, member=target.member, statement="x", rule=Rule.SPAM)
    login(client, request, role)
    response = client.get("/admin/moderation-log/")
    if role in ("moderator", "senior_moderator", "staff"):
        assert response.status_code == 200
        assert "Cible" in response.text
    else:
        assert response.status_code in (302, 403)


def test_the_moderation_log_filters(client, territory, target, staff, moderator, make_user):
    other = make_user("autre@example.fr", pseudonym="Autre").member
    old = timezone.now() - timedelta(days=40)
    record_decision(Action.WARN, actor=staff, member=target.member, statement="x", rule=Rule.SPAM)
    record_decision(Action.HIDE, actor=moderator, member=other, statement="y", rule=Rule.HARASSMENT, at=old)
    record_decision(Action.AUTO_HIDE, member=other, target_label="Auto")
    client.force_login(staff)

    def shown(query):
        response = client.get(f"/admin/moderation-log/?{query}")
        assert response.status_code == 200
        return {line.action for line in response.context["object_list"]}

    assert shown("") == {Action.WARN, Action.HIDE, Action.AUTO_HIDE}
    assert shown("action=hide") == {Action.HIDE}
    assert shown("rule=spam") == {Action.WARN}
    assert shown(f"actor={moderator.pk}") == {Action.HIDE}
    assert shown("member=cible") == {Action.WARN}
    since = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert shown(f"created_at_after={since}") == {Action.WARN, Action.AUTO_HIDE}
    for hostile in (
        "action=nope",
        "actor=abc",
        "actor=99999999999999999999",
        "created_at_after=0000-99-99",
        "member=%00",
    ):
        assert client.get(f"/admin/moderation-log/?{hostile}").status_code == 200


def test_the_moderation_log_takes_a_fixed_number_of_queries(
    client, territory, target, staff, moderator, django_assert_max_num_queries
):
    def lines(count):
        for index in range(count):
            record_decision(Action.HIDE, actor=moderator, member=target.member, target_label=f"#{index}")

    client.force_login(staff)
    lines(2)
    client.get("/admin/moderation-log/")
    with django_assert_max_num_queries(40) as small:
        client.get("/admin/moderation-log/")
    lines(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/admin/moderation-log/")


def test_the_moderation_log_has_no_edit_nor_delete(client, territory, target, staff):
    line = record_decision(Action.WARN, actor=staff, member=target.member, statement="x")
    for name in ("add", "edit", "delete", "copy", "history"):
        with pytest.raises(NoReverseMatch):
            reverse(f"moderation_log:{name}", args=[] if name == "add" else [line.pk])
    client.force_login(staff)
    for url in (f"/admin/moderation-log/edit/{line.pk}/", f"/admin/moderation-log/delete/{line.pk}/"):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    inspect = client.get(reverse("moderation_log:inspect", args=[line.pk]))
    assert inspect.status_code == 200
    assert f"/delete/{line.pk}" not in inspect.text and f"/edit/{line.pk}" not in inspect.text
    delete_account(target)  # an erasure keeps the log line (the member is anonymised, not the log)
    assert ModerationDecision.objects.filter(pk=line.pk).exists()


def test_nothing_in_the_application_deletes_a_log_line():
    """The log is append-only: no code outside the migrations deletes or updates ModerationDecision rows."""
    apps = [Path(settings.BASE_DIR) / name for name in ("civic", "members", "wiki", "discussion", "workshops")]
    pattern = re.compile(r"ModerationDecision\.objects[^\n]*\.(delete|update)\(|decision\.delete\(")
    offenders = [
        f"{path}:{number}"
        for app in apps
        if app.exists()
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_the_member_page_links_to_the_sanction_form_for_those_who_may(client, territory, target, moderator, staff):
    url = reverse("members_member_detail", args=[target.member.pk])
    sanction = reverse("members_sanction", args=[target.member.pk])
    client.force_login(moderator)
    assert sanction not in client.get(url).text
    client.force_login(staff)
    assert sanction in client.get(url).text
