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
    for url in (BLOCKS, f"{BLOCKS}new/"):
        response = client.get(url)
        if role in ("moderator", "staff"):
            assert response.status_code == 200
        else:
            assert response.status_code in (302, 403)
    if role in ("moderator", "staff"):
        assert BLOCKS in client.get("/admin/").text


def test_nobody_deletes_a_block(client, staff, resident):
    block = block_member(resident.member, reason="Spam")
    assert not BlockPermissionPolicy(Block).user_has_permission(staff, "delete")
    client.force_login(staff)
    response = client.post(f"{BLOCKS}delete/{block.pk}/")
    assert response.status_code in (302, 403)
    assert Block.objects.filter(pk=block.pk).exists()


def test_block_for_a_chosen_duration_through_the_service(client, moderator, resident, monkeypatch):
    import members.admin_blocks

    calls = []
    real = members.admin_blocks.block_member
    monkeypatch.setattr(members.admin_blocks, "block_member", lambda *a, **kw: calls.append(kw) or real(*a, **kw))
    client.force_login(moderator)
    before = timezone.now()
    response = client.post(
        f"{BLOCKS}new/", {"member": resident.member.pk, "reason": "Insults on Carriet", "duration": "7d"}
    )
    assert response.status_code == 302
    assert len(calls) == 1
    block = Block.objects.get()
    assert (block.member, block.reason, block.created_by) == (resident.member, "Insults on Carriet", moderator)
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


def test_lift_a_block_early(client, moderator, resident):
    block = block_member(resident.member, reason="Spam", ends_at=timezone.now() + timedelta(days=30))
    client.force_login(moderator)
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
