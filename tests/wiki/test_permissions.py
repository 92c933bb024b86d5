"""wiki.permissions: who may edit, create and roll back."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import add_page
from wiki import permissions
from wiki.models import ProjectPage, WikiPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(territory):
    return add_page(territory["genicart"], WikiPage(title="Article", slug="article"))


@pytest.mark.parametrize(
    ("role", "edit", "rollback"),
    [("anonymous", False, False), ("resident", True, False), ("moderator", True, True), ("staff", True, True)],
)
def test_roles(request, article, territory, role, edit, rollback):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    assert permissions.can_edit(user, article) is edit
    assert permissions.can_create(user, territory["genicart"]) is edit
    assert permissions.can_rollback(user) is rollback


def test_unverified_or_inactive_members_cannot_contribute(make_user, article, territory):
    for user in (make_user("a@example.fr", verified=False), make_user("b@example.fr", is_active=False)):
        assert not permissions.can_edit(user, article)
        assert not permissions.can_create(user, territory["genicart"])


def test_is_staff_is_a_moderator(make_user):
    assert permissions.can_rollback(make_user("boss@example.fr", is_staff=True))


def test_only_wiki_pages_are_edited_and_only_places_receive_new_pages(resident, territory, article):
    assert not permissions.can_edit(resident, territory["genicart"])
    assert not permissions.can_create(resident, territory["home"])
    project = add_page(territory["genicart"], ProjectPage(title="Projet", slug="projet"))
    assert permissions.can_edit(resident, project)
    assert not permissions.can_create(resident, project)
    assert permissions.can_create(resident, article)
    article.unpublish()
    assert not permissions.can_edit(resident, WikiPage.objects.get(pk=article.pk))


def test_the_administration_link_shows_for_whoever_may_open_the_admin(client, territory, any_role, make_user):
    from django.contrib.auth.models import Group, Permission

    role, user = any_role
    if user:
        client.force_login(user)
    html = client.get("/").text
    assert ('href="/admin/"' in html) == (role in {"moderator", "staff"})

    editors = Group.objects.create(name="Rédaction")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(make_user("redaction@example.fr", pseudonym="Plume", groups=["Rédaction"]))
    assert 'href="/admin/"' in client.get("/").text


def test_a_signed_in_page_reads_the_member_and_its_permissions_in_one_query(client, territory, resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(resident)
    client.get("/lormont/")  # warm the session and site caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/lormont/").status_code == 200
    markers = (f'"members_member"."user_id" = {resident.pk}', 'FROM "account_emailaddress"', 'FROM "auth_permission"')
    about_the_user = [q["sql"] for q in queries.captured_queries if any(m in q["sql"] for m in markers)]
    assert len(about_the_user) == 1


@pytest.mark.parametrize(
    ("starts_in_days", "ends_in_days", "blocked"),
    [(-1, None, True), (-3, 2, True), (1, None, False), (-5, -1, False)],
)
def test_only_a_block_in_force_now_keeps_a_member_out(resident, starts_in_days, ends_in_days, blocked):
    from datetime import timedelta

    from django.utils import timezone

    from members.models import Block

    now = timezone.now()
    Block.objects.create(
        member=resident.member,
        reason="test",
        starts_at=now + timedelta(days=starts_in_days),
        ends_at=None if ends_in_days is None else now + timedelta(days=ends_in_days),
    )
    assert permissions.is_verified(resident)
    assert permissions.is_contributor(resident) is not blocked
