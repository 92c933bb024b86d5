"""Shared fixtures: a small territory and one user per role."""

import fcntl
import json
import os
import sqlite3
from contextlib import closing, contextmanager
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from pytest_django.fixtures import _disable_migrations
from wagtail.models import Page, Site

from members.roles import MODERATORS, RESIDENTS, SENIOR_MODERATORS, STAFF
from wiki.models import CommunePage, HomePage, NeighbourhoodPage
from workshops.models import WorkshopIndexPage, WorkshopPage

PASSWORD = "correct-horse-battery-staple"


def warm_site_caches():
    """Read the site-wide settings every page needs, as the first request after a cache flush does.

    The header's brand (civic.brand) and the video providers of the CSP's
    frame-src (gallery.videos) are cached between requests; a test that clears
    the cache and pins a page's queries warms them first, to count that page's own.
    """
    from civic import brand
    from gallery import videos

    brand.current()
    videos.providers()


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

    For the tests of a fresh install (tests/demo/test_load_demo.py)."""
    # Saving some rows looks up content types: have them all in ContentType's cache, as before the flush.
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
    connections[DEFAULT_DB_ALIAS].check_constraints()  # PostgreSQL truncates no table with checks pending
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True)
    connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(FRESH_INSTALL["data"])


@contextmanager
def _locked(path):
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _export_template(connection, shared):
    """Copy this worker's freshly built test database where the other xdist workers clone it from."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(shared / "template.sqlite3")) as target:
            connection.connection.backup(target)
        return str(shared / "template.sqlite3")
    source = connection.settings_dict["NAME"]
    template = f"{source}_template"
    connection.close()  # PostgreSQL copies no database that has a connection open
    _copy_database(connection, source, template)
    return template


def _copy_database(connection, source, target):
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _clone_template(connection, template):
    """This worker's test database, copied from the template another worker built; returns Django's old name."""
    old_name = connection.settings_dict["NAME"]
    name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"] = name
    if connection.vendor == "sqlite":  # in memory: load the template's pages into it
        connection.ensure_connection()
        with closing(sqlite3.connect(template)) as source:
            source.backup(connection.connection)
    else:
        _copy_database(connection, template, name)
    return old_name


@pytest.fixture(scope="session")
def django_db_setup(  # noqa: PLR0913 - pytest-django's own, plus where the xdist workers meet
    request,
    tmp_path_factory,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """The test database with the territory, built once per database (per xdist worker).

    Each test runs in a transaction rolled back at its end, so every test starts from this same
    territory. The snapshot Django restores for `serialized_rollback` tests (after the flush of a
    transactional test) holds the territory too. Under xdist the first worker runs the migrations
    and builds the territory; the others copy its database (PostgreSQL: CREATE DATABASE ... TEMPLATE;
    SQLite in memory: the backup API) instead of migrating again.
    """
    from django.test.utils import setup_databases, teardown_databases

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    verbosity = request.config.option.verbose
    connection = connections[DEFAULT_DB_ALIAS]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp().parent if worker and not keepdb else None  # one per run, for all workers
    if shared is not None and connection.vendor not in ("sqlite", "postgresql"):
        shared = None
    template_made = None

    with django_db_blocker.unblock():
        if shared is None:
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases={DEFAULT_DB_ALIAS},
                serialized_aliases=set(),
                keepdb=keepdb,
            )
            FRESH_INSTALL["data"] = connection.creation.serialize_db_to_string()
            build_territory()
        else:
            with _locked(shared / "test-database.lock"):
                ready = shared / "test-database.json"
                if ready.exists():
                    made = json.loads(ready.read_text())
                    db_cfg = [(connection, _clone_template(connection, made["template"]), True)]
                    FRESH_INSTALL["data"] = made["fresh_install"]
                else:
                    db_cfg = setup_databases(
                        verbosity=verbosity, interactive=False, aliases={DEFAULT_DB_ALIAS}, serialized_aliases=set()
                    )
                    FRESH_INSTALL["data"] = connection.creation.serialize_db_to_string()
                    build_territory()
                    template_made = _export_template(connection, shared)
                    ready.write_text(json.dumps({"template": template_made, "fresh_install": FRESH_INSTALL["data"]}))
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()

    yield

    with django_db_blocker.unblock():
        if template_made and connection.vendor == "postgresql":
            with _locked(shared / "test-database.lock"):
                (shared / "test-database.json").unlink()  # a worker starting late builds its own
                with connection.creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template_made)}")
        if not django_db_keepdb:
            teardown_databases(db_cfg, verbosity=verbosity)


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


@pytest.fixture
def senior_moderator(make_user):
    return make_user("senior@example.fr", pseudonym="Ancienne", groups=[SENIOR_MODERATORS])


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
