"""The Wagtail admin gives each role exactly the power of the README's roles table.

Real POSTs (and forged ones) to the admin's edit, publish, revert, privacy, add
and block routes, for a resident, a moderator, staff and a superuser; each test
asserts what the database holds afterwards.
"""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import GroupPagePermission, PageViewRestriction

from members.models import Block
from members.roles import MODEL_PERMISSIONS, MODERATORS, PAGE_PERMISSIONS, SENIOR_MODERATORS, STAFF
from tests.conftest import add_page
from wiki.models import Protection, WikiPage

pytestmark = pytest.mark.django_db

ROLES = ["resident", "moderator", "staff", "superuser"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def superuser(make_user):
    return make_user("admin@example.fr", pseudonym="Admin", is_superuser=True, is_staff=True)


@pytest.fixture
def user_of(request):
    return lambda role: request.getfixturevalue(role)


@pytest.fixture
def pages(territory):
    def make(slug, protection):
        return add_page(
            territory["lormont"], WikiPage(title=slug.title(), slug=slug, body="Texte.", protection=protection)
        )

    return {
        "open": make("ouverte", Protection.OPEN),
        "semi": make("semi", Protection.SEMI),
        "staff": make("equipe", Protection.STAFF),
    }


def form_data(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "body": page.body,
        "protection": page.protection,
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def fresh(page):
    return WikiPage.objects.get(pk=page.pk)


# The groups' permissions ---------------------------------------------------------------


def test_groups_hold_exactly_the_roles_table():
    for name in (MODERATORS, SENIOR_MODERATORS, STAFF):
        group = Group.objects.get(name=name)
        model = set(group.permissions.values_list("content_type__app_label", "codename"))
        assert model == set(MODEL_PERMISSIONS[name])
        granted = GroupPagePermission.objects.filter(group=group)
        on_pages = set(granted.values_list("page__depth", "permission__codename"))
        assert on_pages == {(1, f"{action}_page") for action in PAGE_PERMISSIONS[name]}
    assert "add" not in PAGE_PERMISSIONS[MODERATORS]
    assert not Group.objects.filter(name="Editors").exists()


# Edit and publish ----------------------------------------------------------------------

# Which pages each role may change in the admin (None: no admin at all).
MAY_EDIT = {
    "resident": set(),
    "moderator": {"open", "semi"},
    "staff": {"open", "semi", "staff"},
    "superuser": {"open", "semi", "staff"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["open", "semi", "staff"])
def test_edit_and_publish_follow_the_protection(client, pages, user_of, role, which):
    page = pages[which]
    client.force_login(user_of(role))
    allowed = which in MAY_EDIT[role]
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert (response.status_code == 200) is allowed

    revisions = page.revisions.count()
    client.post(f"/admin/pages/{page.pk}/edit/", form_data(page, title="Brouillon"))
    assert (page.revisions.count() > revisions) is allowed

    client.post(f"/admin/pages/{page.pk}/edit/", form_data(page, title="Publié", **{"action-publish": "1"}))
    assert (fresh(page).title == "Publié") is allowed


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_the_explorer_offers_only_what_the_role_may_do(client, pages, territory, user_of, role):
    client.force_login(user_of(role))
    response = client.get(f"/admin/pages/{territory['lormont'].pk}/")
    assert response.status_code == 200
    assert f"/admin/pages/{pages['open'].pk}/edit/" in response.text
    assert (f"/admin/pages/{pages['staff'].pk}/edit/" in response.text) is (role == "staff")
    assert (f"/admin/pages/{territory['lormont'].pk}/add_subpage/" in response.text) is (role == "staff")


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_moderators_cannot_unpublish_delete_or_lock_a_staff_only_page(client, pages, user_of, role):
    page = pages["staff"]
    client.force_login(user_of(role))
    client.post(f"/admin/pages/{page.pk}/unpublish/")
    client.post(f"/admin/pages/{page.pk}/lock/")
    page = fresh(page)
    if role == "moderator":
        assert page.live and not page.locked
    else:
        assert not page.live and page.locked


# Protection ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_change_a_protection_even_with_a_forged_post(client, pages, user_of, role):
    page = pages["semi"]
    client.force_login(user_of(role))
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    if response.status_code == 200:
        assert ("protection" in response.context["form"].fields) is (role in ("staff", "superuser"))
    data = form_data(page, title="Renommée", protection=Protection.OPEN, **{"action-publish": "1"})
    client.post(f"/admin/pages/{page.pk}/edit/", data)
    page = fresh(page)
    if role in ("staff", "superuser"):
        assert (page.title, page.protection) == ("Renommée", Protection.OPEN)
    elif role == "moderator":  # the edit goes through, the protection stays
        assert (page.title, page.protection) == ("Renommée", Protection.SEMI)
    else:
        assert (page.title, page.protection) == ("Semi", Protection.SEMI)


def test_reverting_to_an_open_version_keeps_the_protection(client, pages, moderator, staff):
    page = pages["open"]
    open_revision = page.latest_revision
    page.protection = Protection.SEMI
    page.save_revision(user=staff).publish()
    client.force_login(moderator)
    data = form_data(page, title="Retour", protection=Protection.OPEN, **{"action-publish": "1"})
    client.post(f"/admin/pages/{page.pk}/revisions/{open_revision.pk}/revert/", data)
    assert (fresh(page).title, fresh(page).protection) == ("Retour", Protection.SEMI)


def test_a_moderator_cannot_revert_a_staff_only_page_to_an_open_version(client, pages, moderator, staff):
    page = pages["open"]
    open_revision = page.latest_revision
    page.protection = Protection.STAFF
    page.save_revision(user=staff).publish()
    client.force_login(moderator)
    response = client.get(f"/admin/pages/{page.pk}/revisions/{open_revision.pk}/revert/")
    assert response.status_code != 200
    client.post(
        f"/admin/pages/{page.pk}/revisions/{open_revision.pk}/revert/",
        form_data(page, title="Ouverte", protection=Protection.OPEN, **{"action-publish": "1"}),
    )
    assert fresh(page).protection == Protection.STAFF


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_set_a_pages_privacy(client, pages, user_of, role):
    page = pages["open"]
    client.force_login(user_of(role))
    client.post(f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "login", "password": "", "groups": []})
    assert PageViewRestriction.objects.filter(page=page).exists() is (role in ("staff", "superuser"))


# Creating pages ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_create_pages(client, territory, user_of, role):
    parent = territory["lormont"]
    client.force_login(user_of(role))
    url = f"/admin/pages/add/wiki/wikipage/{parent.pk}/"
    assert (client.get(url).status_code == 200) is (role in ("staff", "superuser"))
    data = form_data(WikiPage(title="Nouvelle", slug="nouvelle", body="Texte.", protection=Protection.OPEN))
    client.post(url, {**data, "action-publish": "1"})
    assert WikiPage.objects.filter(slug="nouvelle").exists() is (role in ("staff", "superuser"))


# Blocks --------------------------------------------------------------------------------

# Whom each role may block (a first-tier moderator nobody, unless staff allow it in Settings > Moderation:
# blocks are the senior tier's; staff block residents and moderators; a superuser anyone else).
MAY_BLOCK = {
    "resident": set(),
    "moderator": set(),
    "staff": {"target_resident", "target_moderator"},
    "superuser": {"target_resident", "target_moderator", "target_staff"},
}


@pytest.fixture
def targets(make_user):
    return {
        "target_resident": make_user("cible@example.fr", pseudonym="Cible"),
        "target_moderator": make_user("modo2@example.fr", pseudonym="Modo2", groups=[MODERATORS]),
        "target_staff": make_user("equipe2@example.fr", pseudonym="Equipe2", groups=[STAFF]),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", ["target_resident", "target_moderator", "target_staff"])
def test_block_follows_the_roles(client, territory, targets, user_of, role, target):
    member = targets[target].member
    client.force_login(user_of(role))
    response = client.get("/admin/blocks/new/")
    if response.status_code == 200:
        offered = {str(value) for value, _label in response.context["form"].fields["member"].choices}
        assert (str(member.pk) in offered) is (target in MAY_BLOCK[role])
    response = client.post("/admin/blocks/new/", {"member": member.pk, "reason": "Test", "duration": "7d"})
    assert Block.objects.filter(member=member).exists() is (target in MAY_BLOCK[role])
    if role not in ("resident", "moderator") and target not in MAY_BLOCK[role]:
        assert response.status_code == 200
        error = " ".join(response.context["form"].errors["member"])
        assert "seule l’équipe peut" in error or "seul un administrateur peut" in error


def test_nobody_blocks_themselves(client, senior_moderator):
    client.force_login(senior_moderator)
    response = client.post(
        "/admin/blocks/new/", {"member": senior_moderator.member.pk, "reason": "Test", "duration": "7d"}
    )
    assert not Block.objects.exists()
    assert "Vous ne pouvez pas vous bloquer vous-même." in response.context["form"].errors["member"]


def test_a_moderator_cannot_lift_a_block_of_staff(client, targets, moderator, superuser):
    from members.services import block_member

    block = block_member(targets["target_staff"].member, reason="Test", by=superuser)
    client.force_login(moderator)
    client.post(f"/admin/blocks/edit/{block.pk}/", {"lift": "on"})
    block.refresh_from_db()
    assert block.in_force()
