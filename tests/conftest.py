"""Shared fixtures: a small territory and one user per role."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
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


TERRITORY = {  # key: URL path of the page, in the default site's tree
    "home": "/rive-droite/",
    "lormont": "/rive-droite/lormont/",
    "cenon": "/rive-droite/cenon/",
    "genicart": "/rive-droite/lormont/genicart/",
    "carriet": "/rive-droite/lormont/carriet/",
    "palmer": "/rive-droite/cenon/palmer/",
}


def build_territory():
    """Home > Lormont (Génicart, Carriet) and Cenon (Palmer), served as the default site."""
    root = Page.get_first_root_node()
    home = add_page(root, HomePage(title="Rive droite", slug="rive-droite"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "Quartiers"}
    )
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    lormont = add_page(home, CommunePage(title="Lormont", slug="lormont", insee_code="33249", postal_code="33310"))
    cenon = add_page(home, CommunePage(title="Cenon", slug="cenon", insee_code="33119", postal_code="33150"))
    add_page(lormont, NeighbourhoodPage(title="Génicart", slug="genicart"))
    add_page(lormont, NeighbourhoodPage(title="Carriet", slug="carriet"))
    add_page(cenon, NeighbourhoodPage(title="Palmer", slug="palmer"))


FRESH_INSTALL = {}  # "data": the database as the migrations leave it, serialized by django_db_setup


def reset_to_fresh_install():
    """Put the database back as the migrations leave it (no territory), inside the current transaction.

    For the tests of a fresh install (tests/wiki/test_load_demo.py)."""
    connections[DEFAULT_DB_ALIAS].check_constraints()  # PostgreSQL truncates no table with checks pending
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True)
    connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(FRESH_INSTALL["data"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus the territory, built once per database (per xdist worker).

    Each test runs in a transaction rolled back at its end, so every test starts from this same
    territory. The snapshot Django restores for `serialized_rollback` tests (after the flush of a
    transactional test) is taken again here, so that it holds the territory too.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    with django_db_blocker.unblock():
        FRESH_INSTALL["data"] = connection.creation.serialize_db_to_string()
        build_territory()
        if hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with an empty cache: pages keep their ids from one test to the next now."""
    cache.clear()


@pytest.fixture
def territory(db):
    """Home > Lormont (Génicart, Carriet) and Cenon (Palmer), served as the default site.

    The pages are built once per test database (see `django_db_setup`); each test gets fresh
    instances, so what a test changes on them is rolled back with its transaction.
    """
    pages = {page.url_path: page for page in Page.objects.filter(url_path__in=TERRITORY.values()).specific()}
    if len(pages) < len(TERRITORY):  # a transactional test without serialized_rollback flushed the tables
        build_territory()
        pages = {page.url_path: page for page in Page.objects.filter(url_path__in=TERRITORY.values()).specific()}
    return {key: pages[path] for key, path in TERRITORY.items()}


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
