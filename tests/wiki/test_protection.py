"""Page protection: who may edit a page (and create pages under it) at each level."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.models import Site

from members.roles import STAFF
from tests.wiki.conftest import edit
from wiki import permissions, services
from wiki.models import Protection, RevisionMeta, WikiPage, WikiSettings

pytestmark = pytest.mark.django_db

TEXT = "Le marché a lieu le samedi."
ROLES = ["anonymous", "new_resident", "trusted_resident", "moderator", "staff"]
# Who may edit (and create under) a page, by protection level.
ALLOWED = {
    Protection.OPEN: {"new_resident", "trusted_resident", "moderator", "staff"},
    Protection.SEMI: {"trusted_resident", "moderator", "staff"},
    Protection.STAFF: {"staff"},
}


def fresh_user(user):
    """The same user without the answers cached on the object (a new request)."""
    return get_user_model().objects.get(pk=user.pk)


def backdate(user, days):
    get_user_model().objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    return fresh_user(user)


def protect(page, level):
    """What staff do in the admin's settings tab: a published revision with the new protection."""
    page = page.specific_class.objects.get(pk=page.pk)
    page.protection = level
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def settings():
    return WikiSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def market(territory, make_user):
    author = make_user("auteur@example.fr", pseudonym="Auteur")
    return services.create_page(author, territory["genicart"], "Le marché", TEXT)


@pytest.fixture
def new_resident(resident):
    return resident


@pytest.fixture(autouse=True)
def thresholds(territory):
    """Trusted: an account 4 days old (the default) and 3 edits (10 by default: fewer keeps the tests fast)."""
    wiki_settings = settings()
    wiki_settings.trusted_min_edits = 3
    wiki_settings.save()
    return wiki_settings


@pytest.fixture
def trusted_resident(make_user, territory):
    """A resident with an account 30 days old and 3 edits."""
    user = make_user("confiance@example.fr", pseudonym="Confiance")
    scratch = services.create_page(user, territory["carriet"], "Brouillon", "0")
    for i in range(1, 3):
        edit(scratch, user, f"Version {i}")
    return backdate(user, 30)


@pytest.fixture
def role_user(request):
    def get(role):
        return AnonymousUser() if role == "anonymous" else fresh_user(request.getfixturevalue(role))

    return get


def post_edit(client, page, body, **extra):
    data = {"title": page.title, "body": body, "summary": "", "base_revision_id": page.latest_revision_id, **extra}
    return client.post(page.url + "edit/", data)


# The predicates ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(Protection))
@pytest.mark.parametrize("role", ROLES)
def test_can_edit_and_create_by_level(role_user, market, level, role):
    page = protect(market, level)
    user = role_user(role)
    expected = role in ALLOWED[level]
    assert permissions.can_edit(user, page) is expected
    assert permissions.can_create(user, page) is expected  # a child under a protected page asks the same
    assert (permissions.why_cannot_edit(user, page) is None) is expected


@pytest.mark.parametrize(
    ("role", "trusted"),
    [("anonymous", False), ("new_resident", False), ("trusted_resident", True), ("moderator", True), ("staff", True)],
)
def test_is_trusted(role_user, market, role, trusted):
    assert permissions.is_trusted(role_user(role)) is trusted


def test_staff_group_without_is_staff_is_staff(make_user, market):
    member_of_staff = make_user("equipe@example.fr", groups=[STAFF])
    assert permissions.is_staff_member(member_of_staff)
    assert permissions.can_edit(member_of_staff, protect(market, Protection.STAFF))


def test_a_superuser_is_staff(make_user, market):
    boss = make_user("boss@example.fr", is_superuser=True)
    assert permissions.can_edit(boss, protect(market, Protection.STAFF))


def test_unverified_or_blocked_trusted_members_still_cannot_edit(trusted_resident, moderator, market):
    from allauth.account.models import EmailAddress

    from members.services import block_member

    page = protect(market, Protection.SEMI)
    block_member(trusted_resident.member, reason="Calme", ends_at=timezone.now() + timedelta(days=1), by=moderator)
    assert not permissions.can_edit(fresh_user(trusted_resident), page)
    assert not permissions.is_trusted(fresh_user(trusted_resident))
    EmailAddress.objects.filter(user=moderator).update(verified=False)
    assert not permissions.can_edit(fresh_user(moderator), page)


def test_trust_needs_both_the_account_age_and_the_edits(make_user, territory, market, thresholds):
    thresholds.trusted_min_edits = 10  # the default
    thresholds.save()
    page = protect(market, Protection.SEMI)
    user = make_user("jeune@example.fr", pseudonym="Jeune")
    scratch = services.create_page(user, territory["carriet"], "Essais", "0")
    for i in range(1, 10):
        edit(scratch, user, f"Essai {i}")
    user = fresh_user(user)
    assert permissions.edit_count(user) == 10
    assert not permissions.can_edit(user, page)  # 10 edits, but a brand new account
    assert permissions.can_edit(backdate(user, 4), page)  # exactly 4 days old
    assert not permissions.can_edit(backdate(user, 3), page)
    older_but_idle = backdate(make_user("idle@example.fr", pseudonym="Idle"), 400)
    assert not permissions.can_edit(older_but_idle, page)


def test_reverted_edits_do_not_count_towards_trust(trusted_resident, moderator, territory):
    scratch = WikiPage.objects.get(title="Brouillon")
    last = RevisionMeta.objects.filter(page_id=scratch.pk).order_by("-revision_id").first()
    services.undo(moderator, scratch, last.revision_id)
    assert permissions.edit_count(fresh_user(trusted_resident)) == 2
    assert not permissions.is_trusted(fresh_user(trusted_resident))


def test_threshold_settings_change_the_outcome(new_resident, trusted_resident, market, thresholds):
    page = protect(market, Protection.SEMI)
    thresholds.trusted_min_account_days = 0
    thresholds.trusted_min_edits = 0
    thresholds.save()
    assert permissions.can_edit(fresh_user(new_resident), page)
    thresholds.trusted_min_account_days = 60
    thresholds.trusted_min_edits = 1
    thresholds.save()
    assert not permissions.can_edit(fresh_user(trusted_resident), page)  # 30 days old
    thresholds.trusted_min_account_days = 30
    thresholds.trusted_min_edits = 4
    thresholds.save()
    assert not permissions.can_edit(fresh_user(trusted_resident), page)  # 3 edits
    thresholds.trusted_min_edits = 3
    thresholds.save()
    assert permissions.can_edit(fresh_user(trusted_resident), page)


def test_the_reason_says_what_is_missing(new_resident, market):
    page = protect(market, Protection.SEMI)
    reason = permissions.why_cannot_edit(new_resident, page)
    assert "4" in reason and "3" in reason and "0" in reason
    staff_only = permissions.why_cannot_edit(fresh_user(new_resident), protect(market, Protection.STAFF))
    assert staff_only and staff_only != reason


def test_answers_are_cached_for_the_request(trusted_resident, market, django_assert_num_queries):
    page = protect(market, Protection.SEMI)
    user = fresh_user(trusted_resident)
    assert permissions.can_edit(user, page)
    with django_assert_num_queries(0):
        for _ in range(3):
            assert permissions.can_edit(user, page)
            assert permissions.is_trusted(user)


def test_an_unknown_protection_value_is_read_as_staff_only(trusted_resident, staff, market):
    WikiPage.objects.filter(pk=market.pk).update(protection="bogus")
    page = WikiPage.objects.get(pk=market.pk)
    assert not permissions.can_edit(fresh_user(trusted_resident), page)
    assert permissions.can_edit(fresh_user(staff), page)


def test_places_are_not_protected_pages(territory, new_resident, trusted_resident):
    assert permissions.can_create(new_resident, territory["genicart"])
    assert permissions.why_cannot_create(new_resident, territory["genicart"]) is None
    assert permissions.why_cannot_create(AnonymousUser(), territory["genicart"])


# Through the services ----------------------------------------------------------------------


def test_services_refuse_what_the_protection_forbids(new_resident, trusted_resident, market, territory):
    from django.core.exceptions import PermissionDenied

    page = protect(market, Protection.STAFF)
    with pytest.raises(PermissionDenied):
        edit(page, fresh_user(trusted_resident), "Vandalisme")
    with pytest.raises(PermissionDenied):
        services.create_page(fresh_user(trusted_resident), page, "Sous-page", "x")
    revision = page.latest_revision_id
    with pytest.raises(PermissionDenied):
        services.restore(fresh_user(trusted_resident), page, revision)
    assert WikiPage.objects.get(pk=page.pk).body == TEXT


def test_a_protection_set_after_the_form_was_loaded_is_checked_on_save(trusted_resident, market):
    stale = WikiPage.objects.get(pk=market.pk)  # loaded while the page was open
    protect(market, Protection.STAFF)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.edit_page(
            fresh_user(trusted_resident),
            stale,
            base_revision_id=stale.latest_revision_id,
            title=stale.title,
            body="Changé",
        )
    assert WikiPage.objects.get(pk=market.pk).body == TEXT


def test_moderators_can_still_roll_back_a_staff_only_page(market, staff, moderator, make_user):
    page = protect(market, Protection.STAFF)
    other_staff = make_user("autre@example.fr", pseudonym="Autre", is_staff=True)
    edit(page, other_staff, "Erreur")
    assert not permissions.can_edit(fresh_user(moderator), page)
    assert permissions.can_rollback_on(fresh_user(moderator), page)
    assert permissions.can_rollback_on(fresh_user(other_staff), page)  # staff moderate too
    services.rollback(fresh_user(moderator), page)
    page = WikiPage.objects.get(pk=page.pk)
    assert page.body == TEXT and page.protection == Protection.STAFF


def test_an_edit_never_changes_the_protection(trusted_resident, market, territory):
    page = protect(market, Protection.SEMI)
    edit(page, fresh_user(trusted_resident), "Nouveau texte")
    page = WikiPage.objects.get(pk=page.pk)
    assert page.protection == Protection.SEMI and page.body == "Nouveau texte"
    # An undo and a restore bring back old text, never an old protection.
    first = services.page_revisions(page).order_by("pk").first()
    services.restore(fresh_user(trusted_resident), page, first.pk)
    page = WikiPage.objects.get(pk=page.pk)
    assert page.protection == Protection.SEMI and page.body == TEXT


# Through the views ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(Protection))
@pytest.mark.parametrize("role", ROLES)
def test_edit_view_by_level(client, role_user, market, level, role):
    page = protect(market, level)
    user = role_user(role)
    if role != "anonymous":
        client.force_login(user)
    allowed = role in ALLOWED[level]
    response = client.get(page.url + "edit/")
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    else:
        assert response.status_code == (200 if allowed else 403)
    response = post_edit(client, page, "Texte changé")
    assert response.status_code == (302 if allowed else 302 if role == "anonymous" else 403)
    page = WikiPage.objects.get(pk=page.pk)
    assert page.body == ("Texte changé" if allowed else TEXT)
    assert page.protection == level


@pytest.mark.parametrize("level", list(Protection))
@pytest.mark.parametrize("role", ROLES)
def test_new_page_view_under_a_protected_page(client, role_user, market, level, role):
    page = protect(market, level)
    user = role_user(role)
    if role != "anonymous":
        client.force_login(user)
    allowed = role in ALLOWED[level]
    response = client.get(page.url + "new/")
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if allowed else 403)
    response = client.post(page.url + "new/", {"kind": "wiki", "title": "Les horaires", "body": "8h-13h"})
    assert response.status_code == (302 if allowed or role == "anonymous" else 403)
    assert WikiPage.objects.child_of(page).filter(title="Les horaires").exists() is allowed


def test_the_refusal_explains_the_semi_protection(client, new_resident, market):
    page = protect(market, Protection.SEMI)
    client.force_login(new_resident)
    response = client.get(page.url + "edit/")
    assert response.status_code == 403
    text = response.text
    assert "semi" in text.lower()
    assert "3" in text and "4" in text
    assert f'href="{page.url}"' in text  # a way back to the page
    response = client.get(page.url + "new/")
    assert response.status_code == 403 and "semi" in response.text.lower()


def test_the_refusal_explains_the_staff_protection(client, moderator, market):
    page = protect(market, Protection.STAFF)
    client.force_login(moderator)
    response = client.get(page.url + "edit/")
    assert response.status_code == 403
    assert "staff" in response.text.lower() or "équipe" in response.text.lower()


@pytest.mark.parametrize(
    ("level", "notice"), [(Protection.OPEN, None), (Protection.SEMI, "semi"), (Protection.STAFF, "protection-notice")]
)
def test_the_page_and_the_edit_form_show_the_protection(client, staff, market, level, notice):
    page = protect(market, level)
    html = client.get(page.url).text
    if notice is None:
        assert "protection-notice" not in html
    else:
        assert 'class="message protection-notice"' in html and notice in html.lower()
        client.force_login(staff)
        assert 'class="message protection-notice"' in client.get(page.url + "edit/").text


def test_a_project_shows_its_protection(client, territory, resident):
    project = services.create_page(resident, territory["palmer"], "Jardin", "Un jardin.", page_type="project")
    project = protect(project, Protection.STAFF)
    assert 'class="message protection-notice"' in client.get(project.url).text


def test_a_posted_protection_field_is_ignored(client, trusted_resident, market):
    page = protect(market, Protection.SEMI)
    client.force_login(trusted_resident)
    response = post_edit(client, page, "Nouveau", protection="open")
    assert response.status_code == 302
    page = WikiPage.objects.get(pk=page.pk)
    assert page.body == "Nouveau" and page.protection == Protection.SEMI


def test_rollback_view_on_a_staff_only_page(client, market, moderator, trusted_resident, make_user):
    page = protect(market, Protection.STAFF)
    edit(page, make_user("autre@example.fr", pseudonym="Autre", is_staff=True), "Erreur")
    client.force_login(trusted_resident)
    assert client.post(page.url + "rollback/").status_code == 403
    client.force_login(moderator)
    assert client.post(page.url + "rollback/").status_code == 302
    assert WikiPage.objects.get(pk=page.pk).body == TEXT


def test_undo_view_follows_the_protection(client, market, trusted_resident, new_resident, make_user):
    vandal = make_user("vandale@example.fr", pseudonym="Vandale")
    spam = edit(market, vandal, TEXT + "\n\nPub").revision.pk
    page = protect(market, Protection.SEMI)
    client.force_login(new_resident)
    assert client.post(f"{page.url}undo/{spam}/").status_code == 403
    client.force_login(trusted_resident)
    assert client.post(f"{page.url}undo/{spam}/").status_code == 302
    assert WikiPage.objects.get(pk=page.pk).body == TEXT


@pytest.mark.parametrize("path", ["edit/", "new/"])
def test_bad_input_on_a_protected_page_is_never_a_500(client, staff, market, path):
    page = protect(market, Protection.STAFF)
    client.force_login(staff)
    for data in ({}, {"title": "", "body": "x" * 100_001}, {"title": "?!", "kind": "nope", "base_revision_id": "x"}):
        assert client.post(page.url + path, data).status_code == 200


def test_staff_set_the_protection_in_the_admin(admin_client, market):
    response = admin_client.get(f"/admin/pages/{market.pk}/edit/")
    assert response.status_code == 200 and 'name="protection"' in response.text
