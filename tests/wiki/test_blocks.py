"""A blocked member cannot edit or create pages until the block ends."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.services import block_member
from wiki import permissions


@pytest.mark.django_db
def test_a_blocked_member_cannot_edit_or_create(territory, resident, moderator, write_page):
    page = write_page(territory["genicart"], "Le marché du dimanche", "Le marché se tient place Aristide-Briand.")
    assert permissions.can_edit(resident, page)

    block_member(resident.member, reason="Vandalisme répété", ends_at=timezone.now() + timedelta(days=3), by=moderator)
    resident = type(resident).objects.get(pk=resident.pk)  # answers are cached per request (user object)

    assert not permissions.can_edit(resident, page)
    assert not permissions.can_create(resident, territory["genicart"])


@pytest.mark.django_db
def test_a_blocked_member_gets_no_edit_form(client, territory, resident, moderator, write_page):
    page = write_page(territory["genicart"], "Le marché du dimanche", "Le marché se tient place Aristide-Briand.")
    block_member(resident.member, reason="Vandalisme répété", ends_at=timezone.now() + timedelta(days=3), by=moderator)
    client.force_login(resident)

    response = client.post(
        f"{page.url}edit/",
        {"title": page.title, "body": "Tout effacé", "summary": "", "base_revision_id": page.latest_revision_id},
    )

    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.body == "Le marché se tient place Aristide-Briand."


@pytest.mark.django_db
def test_an_ended_block_gives_the_pen_back(territory, resident, moderator, write_page):
    page = write_page(territory["genicart"], "Le marché du dimanche", "Le marché se tient place Aristide-Briand.")
    ended = timezone.now() - timedelta(minutes=1)
    block_member(
        resident.member, reason="Calmez-vous", starts_at=ended - timedelta(days=2), ends_at=ended, by=moderator
    )
    assert permissions.can_edit(type(resident).objects.get(pk=resident.pk), page)


@pytest.mark.django_db
def test_me_and_the_refusal_page_tell_the_same_end_of_block(client, territory, resident, moderator, write_page):
    """An open-ended block and a later one ending tomorrow: both pages say "until lifted", not tomorrow."""
    page = write_page(territory["genicart"], "Le marché du dimanche", "Le marché se tient place Aristide-Briand.")
    now = timezone.now()
    lasting = block_member(resident.member, reason="Insultes", starts_at=now - timedelta(days=3), by=moderator)
    block_member(
        resident.member, reason="Spam", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1), by=moderator
    )
    client.force_login(resident)
    client.cookies["django_language"] = "en"

    me = client.get("/me/")
    refused = client.get(f"{page.url}edit/")

    assert refused.status_code == 403
    assert me.context["active_block"] == lasting
    assert refused.context["member_block"] == lasting
    assert "You cannot contribute until a moderator lifts the block." in me.text
    assert "a moderator lifts the block" in refused.text
    # The notice of the block in force names the lasting one; /me/ also lists every decision told to the member.
    notice = me.text.split('id="my-block"')[1].split("</section>")[0]
    for text in (notice, refused.text):
        assert "Insultes" in text
        assert "Spam" not in text
