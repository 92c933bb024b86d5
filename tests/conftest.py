"""Shared fixtures: a small territory and one user per role."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Site

from members.roles import MODERATORS, RESIDENTS, STAFF
from wiki.models import CommunePage, HomePage, NeighbourhoodPage
from workshops.models import WorkshopIndexPage, WorkshopPage

PASSWORD = "correct-horse-battery-staple"


def add_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture(autouse=True)
def _no_rate_limits(request, monkeypatch):
    """wiki.ratelimits is off unless a test asks for `rate_limits`: most tests save many pages as one member at once."""
    if "rate_limits" not in request.fixturenames:
        monkeypatch.setattr("wiki.ratelimits.limits_for", lambda user, **kwargs: None)


@pytest.fixture
def rate_limits():
    """Keep the edit rate limits (wiki.ratelimits) on for this test; tests/wiki/test_ratelimits.py uses it."""


@pytest.fixture
def territory(db):
    """Home > Lormont (Génicart, Carriet) and Cenon (Palmer), served as the default site."""
    root = Page.get_first_root_node()
    home = add_page(root, HomePage(title="Rive droite", slug="rive-droite"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "Quartiers"}
    )
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    lormont = add_page(home, CommunePage(title="Lormont", slug="lormont", insee_code="33249", postal_code="33310"))
    cenon = add_page(home, CommunePage(title="Cenon", slug="cenon", insee_code="33119", postal_code="33150"))
    return {
        "home": home,
        "lormont": lormont,
        "cenon": cenon,
        "genicart": add_page(lormont, NeighbourhoodPage(title="Génicart", slug="genicart")),
        "carriet": add_page(lormont, NeighbourhoodPage(title="Carriet", slug="carriet")),
        "palmer": add_page(cenon, NeighbourhoodPage(title="Palmer", slug="palmer")),
    }


@pytest.fixture
def make_user(db, django_user_model):
    """A user with a verified email, a pseudonym and optional groups."""

    def make(email, *, pseudonym=None, groups=(), verified=True, **extra):
        user = django_user_model.objects.create_user(username=email, email=email, password=PASSWORD, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        if pseudonym:
            user.member.pseudonym = pseudonym
            user.member.save()
        return user

    return make


@pytest.fixture
def resident(make_user):
    return make_user("resident@example.fr", pseudonym="Nadia", groups=[RESIDENTS])


@pytest.fixture
def moderator(make_user):
    return make_user("moderator@example.fr", pseudonym="Modo", groups=[MODERATORS])


@pytest.fixture
def staff(make_user):
    return make_user("staff@example.fr", pseudonym="Equipe", groups=[STAFF], is_staff=True)


@pytest.fixture(params=["anonymous", "resident", "moderator", "staff"])
def any_role(request):
    """Runs a test once per role; yields (role name, user or None)."""
    if request.param == "anonymous":
        return request.param, None
    return request.param, request.getfixturevalue(request.param)


@pytest.fixture
def workshop_index(territory):
    return add_page(territory["home"], WorkshopIndexPage(title="Ateliers", slug="workshops"))


@pytest.fixture
def make_workshop(workshop_index, territory):
    """A live workshop in Lormont, 10 days ahead and with 2 seats unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        start = fields.pop("starts_at", timezone.now() + timedelta(days=10))
        defaults = {
            "title": f"Atelier {n}",
            "slug": f"atelier-{n}",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "venue_name": "Maison des habitants",
            "address": "12 rue Lavoisier, 33310 Lormont",
            "commune": territory["lormont"],
            "accessibility": "Step-free access",
            "capacity": 2,
        }
        defaults.update(fields)
        return add_page(workshop_index, WorkshopPage(**defaults))

    return make
