"""The Blocks admin screen: block through members.services.block_member, lift early, shown on /me/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from members.admin_blocks import BlockPermissionPolicy
from members.models import Block
from members.services import block_member, lift_block

pytestmark = pytest.mark.django_db

BLOCKS = "/admin/blocks/"


def test_blocks_screen_permissions(client, territory, any_role, resident):
    role, user = any_role
    block_member(resident.member, reason="Spam")
    if user:
        client.force_login(user)
    # Moderators read the blocks; blocking is the senior tier's (and staff's).
    assert (client.get(BLOCKS).status_code == 200) is (role in ("moderator", "staff"))
    assert (client.get(f"{BLOCKS}new/").status_code == 200) is (role == "staff")
    if role in ("moderator", "staff"):
        assert BLOCKS in client.get("/admin/").text


def test_first_tier_moderators_block_only_where_staff_allow_it(client, moderator, senior_moderator, resident):
    from members.moderation import moderation_settings

    data = {"member": resident.member.pk, "reason": "Insultes", "duration": "7d"}
    client.force_login(moderator)
    assert client.post(f"{BLOCKS}new/", data).status_code in (302, 403)
    assert not Block.objects.exists()
    rules = moderation_settings()
    rules.moderators_may_sanction = True
    rules.save()
    client.force_login(moderator)  # a new request: the rule is read again
    assert client.post(f"{BLOCKS}new/", data).status_code == 302
    assert Block.objects.get().created_by == moderator
    client.force_login(senior_moderator)
    assert client.get(f"{BLOCKS}new/").status_code == 200


def test_nobody_deletes_a_block(client, staff, resident):
    block = block_member(resident.member, reason="Spam")
    assert not BlockPermissionPolicy(Block).user_has_permission(staff, "delete")
    client.force_login(staff)
    response = client.post(f"{BLOCKS}delete/{block.pk}/")
    assert response.status_code in (302, 403)
    assert Block.objects.filter(pk=block.pk).exists()


def test_block_for_a_chosen_duration_through_the_service(client, senior_moderator, resident, monkeypatch):
    import members.admin_blocks

    calls = []
    real = members.admin_blocks.block_member
    monkeypatch.setattr(members.admin_blocks, "block_member", lambda *a, **kw: calls.append(kw) or real(*a, **kw))
    client.force_login(senior_moderator)
    before = timezone.now()
    response = client.post(
        f"{BLOCKS}new/", {"member": resident.member.pk, "reason": "Insults on Carriet", "duration": "7d"}
    )
    assert response.status_code == 302
    assert len(calls) == 1
    block = Block.objects.get()
    assert (block.member, block.reason, block.created_by) == (
        resident.member,
        "Insults on Carriet",
        senior_moderator,
    )
    assert timedelta(days=7) <= block.ends_at - before < timedelta(days=7, minutes=1)
    assert resident.member.is_blocked()


def test_block_until_lifted(client, staff, resident):
    client.force_login(staff)
    client.post(f"{BLOCKS}new/", {"member": resident.member.pk, "reason": "Vandalism", "duration": "forever"})
    assert Block.objects.get().ends_at is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "x", "duration": "7d"}, "member"),
        ({"member": "999999", "reason": "x", "duration": "7d"}, "member"),
        ({"member": "abc", "reason": "x", "duration": "7d"}, "member"),
        ({"member": "MEMBER", "reason": "   ", "duration": "7d"}, "reason"),
        ({"member": "MEMBER", "reason": "x", "duration": "1y"}, "duration"),
    ],
)
def test_bad_block_input_is_refused_with_a_message(client, staff, resident, data, field):
    client.force_login(staff)
    data = {key: resident.member.pk if value == "MEMBER" else value for key, value in data.items()}
    response = client.post(f"{BLOCKS}new/", data)
    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    assert not Block.objects.exists()


def test_lift_a_block_early(client, senior_moderator, resident):
    block = block_member(resident.member, reason="Spam", ends_at=timezone.now() + timedelta(days=30))
    client.force_login(senior_moderator)
    url = f"{BLOCKS}edit/{block.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Spam" in page.context["form"].fields["lift"].help_text
    response = client.post(url, {})
    assert "lift" in response.context["form"].errors
    assert resident.member.is_blocked()
    response = client.post(url, {"lift": "on"})
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.ends_at <= timezone.now()
    assert not resident.member.is_blocked()
    assert client.get(f"{BLOCKS}edit/999999/").status_code == 404


def test_lift_block_service_keeps_ended_blocks_unchanged(resident):
    ended = timezone.now() - timedelta(days=1)
    block = block_member(resident.member, reason="Old", starts_at=ended - timedelta(days=2), ends_at=ended)
    assert lift_block(block).ends_at == ended


@pytest.mark.parametrize("extra", [1, 6])
def test_blocks_list_query_count_is_flat(client, staff, make_user, extra, django_assert_max_num_queries):
    for n in range(extra):
        block_member(make_user(f"b{n}@example.fr", pseudonym=f"Bloque {n}").member, reason="Spam", by=staff)
    client.force_login(staff)
    client.get(BLOCKS)
    with django_assert_max_num_queries(25):
        assert client.get(BLOCKS).status_code == 200


def test_member_sees_reason_and_end_of_block_on_me(client, resident):
    end = timezone.now() + timedelta(days=3)
    block_member(resident.member, reason="Repeated spam on Génicart", ends_at=end)
    client.force_login(resident)
    response = client.get("/me/")
    assert response.context["active_block"].reason == "Repeated spam on Génicart"
    assert "Repeated spam on Génicart" in response.text
    assert gettext("Your account is blocked") in response.text
    lift_block(response.context["active_block"])
    assert client.get("/me/").context["active_block"] is None


def test_who_may_block_as_a_rule_and_as_a_query(make_user, moderator, senior_moderator, staff, resident):
    from members.access import can_sanction, sanction_q, users
    from members.moderation import moderation_settings

    superuser = make_user("root@example.fr", pseudonym="Root", is_superuser=True, is_staff=True)
    people = [moderator, senior_moderator, staff, resident, superuser]
    policy = BlockPermissionPolicy(Block)
    for allowed in (False, True):
        rules = moderation_settings()
        rules.moderators_may_sanction = allowed
        rules.save()
        fresh = [type(user).objects.get(pk=user.pk) for user in people]  # each a new request's user
        expected = {user.pk for user in fresh if can_sanction(user)}
        everyone = {user.pk for user in people}
        assert set(users(sanction_q()).filter(pk__in=everyone).values_list("pk", flat=True)) == expected
        assert set(policy.users_with_any_permission(["add"]).filter(pk__in=everyone).values_list("pk", flat=True)) == (
            expected
        )
        assert (moderator.pk in expected) is allowed
