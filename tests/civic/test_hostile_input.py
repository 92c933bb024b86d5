"""No 500, whatever a visitor sends: every URL pattern of the site, hostile values, every role (issue 12).

The URL patterns are read from the resolver and from the RoutablePage routes of each page type, so a
new view is covered the day it is added. Each path parameter is replaced by hostile values (a number
no database holds, negative, zero, non-ASCII digits, NUL, quotes, an overlong string), and the same
values go into the query parameters and form fields that views read. A crash fails with its traceback
(`raise_request_exception`); the answers may be anything but a server error.

Cost: every pattern x every value for the superuser (who reaches the most code), every pattern x a few
values for each other role.
"""

import logging
import re
import traceback
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from wagtail.contrib.routable_page.models import RoutablePageMixin

from discussion.services import post_comment
from members.services import block_member
from wiki import services
from wiki.models import Theme
from workshops.models import CalendarFeed, Registration

HUGE = "9" * 25
VALUES = [HUGE, "-1", "0", "²", "٣", "\x00", '"', "'", "x" * 300]
FEW = [HUGE, "²", "\x00", '"']
QUERY_PARAMS = ["page", "commune", "neighbourhood", "theme", "q", "members", "registration", "period", "status"]
# Form fields that views read from a POST, beside the query parameters above.
FORM_FIELDS = [
    *QUERY_PARAMS,
    "themes",
    "parent",
    "patrol",
    "revert",
    "shown",
    "workshop",
    "member",
    "page_id",
    "base_revision_id",
    "body",
    "as_moderator",
    "list_page",
    "reserved_seats",
    "answer_within_hours",
    "min_per_neighbourhood",
    "min_newcomers",
    "max_per_month",
    "capacity",
    "start_date",
    "end_date",
    "latitude",
    "longitude",
    "order",
    "sort",
    "format",
]
# Views that dispatch on `action`: the superuser's forms name each in turn, the others send a hostile one.
ACTIONS = ["wave", "mark", "resend", "reschedule"]
PROJECT_APPS = ("civic.", "members.", "wiki.", "discussion.", "workshops.")
# Admin URLs the project registers through Wagtail viewsets (their views are Wagtail's generic ones).
PROJECT_NAMESPACES = {"blocks"}
# Patterns of the project that are not exercised, each with its reason.
SKIPPED = {
    "_baseline/": "benchmark only (settings.BENCHMARK), never served in production",
    "_baseline/signed-in/": "benchmark only (settings.BENCHMARK), never served in production",
}
# The project page's routes are the wiki page's (MarkdownPage): they get the FEW values, not all.
# Wagtail, allauth and Django internals: a representative sample (their own suites test them).
INTERNAL_SAMPLE = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/{value}/",
    "/admin/pages/{page}/edit/",
    "/admin/pages/{value}/edit/",
    "/admin/pages/{page}/history/",
    "/admin/pages/search/?q={value}",
    "/admin/users/",
    "/admin/users/{value}/",
    "/admin/snippets/",
    "/admin/documents/",
    "/admin/documents/edit/{value}/",
    "/admin/images/{value}/",
    "/documents/{value}/{value}",
    "/accounts/login/?next={value}",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/key/{value}/",
    "/accounts/confirm-email/{value}/",
    "/accounts/email/",
    "/i18n/setlang/?next={value}",
]
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def walk(patterns, prefix="", namespace=None):
    """(route, pattern, namespace) for every URL pattern under `patterns`, routes joined with their prefixes."""
    for pattern in patterns:
        route = _route(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + route, pattern.namespace or namespace)
        else:
            yield prefix + route, pattern, namespace


def _route(pattern):
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$").replace("\\.", ".")
    return text


def is_project(pattern, namespace):
    module = getattr(pattern.callback, "__module__", "") or ""
    return module.startswith(PROJECT_APPS) or namespace in PROJECT_NAMESPACES


def fill(route, values):
    """The route with each <parameter> replaced by `values[name]` (or the hostile value under "*")."""

    def one(match):
        value = values.get(match["name"], values.get("*"))
        return quote(str(value), safe="")

    return PARAM.sub(one, route)


def project_routes():
    """Every project URL pattern of the URLconf as a route string, after the skips."""
    routes = []
    for route, pattern, namespace in walk(get_resolver().url_patterns):
        if not is_project(pattern, namespace) or route in SKIPPED:
            continue
        if re.search(r"[()\[\]\\*+?|]", route):
            # A regex with groups: the file URLs of workshops.ics_urls, served by the pages' routes below.
            assert "ics|csv" in route, f"a regex URL pattern the test cannot fill: {route}"
            continue
        routes.append("/" + route)
    return sorted(set(routes))


def subpage_routes(page):
    """The RoutablePage routes of `page`, as absolute routes."""
    routes = []
    for pattern in type(page).get_subpage_urls():
        assert isinstance(pattern, URLPattern)
        routes.append(page.url + _route(pattern.pattern))
    return routes


@pytest.fixture
def site(territory, make_user, resident, moderator, staff, make_workshop):
    """Something of every kind for the URLs to name: pages with revisions, a project, a theme, a workshop."""
    theme = Theme.objects.get_or_create(slug="mobilite", defaults={"name": "Mobilité test"})[0]
    page = services.create_page(resident, territory["genicart"], "Les jardins", "Premier jet.", page_type="wiki")
    page = services.edit_page(
        resident, page, base_revision_id=page.latest_revision_id, title=page.title, body="Deuxième jet."
    ).page
    project = services.create_page(resident, territory["lormont"], "Piste cyclable", "Projet.", page_type="project")
    workshop = make_workshop()
    registration = Registration.objects.create(member=resident.member, workshop=workshop, status="confirmed")
    feed = CalendarFeed.objects.create(member=resident.member)
    comment = post_comment(resident, page, "Un commentaire sur les jardins, assez long pour compter.")
    revisions = list(services.page_revisions(page).order_by("pk").values_list("pk", flat=True))
    pages = [
        territory["home"],
        territory["lormont"],
        territory["genicart"],
        page,
        project,
        workshop.get_parent().specific,
        workshop,
    ]
    valid = {
        "revision_id": revisions[-1],
        "old_id": revisions[0],
        "new_id": revisions[-1],
        "member_id": resident.member.pk,
        "page_id": page.pk,
        "comment_id": comment.pk,
        "pk": 1,
        "slug": theme.slug,
        "secret": feed.secret,
        "token": "not-a-token",
        "signed": "not-signed",
        "*": "1",
    }
    routes = project_routes()
    for routable in pages:
        assert isinstance(routable, RoutablePageMixin) or not hasattr(routable, "get_subpage_urls")
        if isinstance(routable, RoutablePageMixin):
            routes += subpage_routes(routable)
        else:
            routes.append(routable.url)
    # Wagtail serves every other path from the page tree; the .ics and .csv files through workshops.ics_urls.
    routes += [page.url + "<missing>/", workshop.url.rstrip("/") + "/<file>.ics", workshop.url + "event.ics"]
    return {"routes": routes, "valid": valid, "registration": registration, "page": page, "project_url": project.url}


ROLES = ["anonymous", "unverified", "resident", "blocked", "moderator", "staff", "superuser"]


def sign_in(request, role, client):
    if role == "anonymous":
        return
    make_user = request.getfixturevalue("make_user")
    if role == "unverified":
        user = make_user("unverified@example.fr", pseudonym="Nouveau", verified=False)
    elif role == "blocked":
        user = make_user("blocked@example.fr", pseudonym="Bloque", groups=["Residents"])
        block_member(user.member, reason="Spam")
    elif role == "superuser":
        user = make_user("root@example.fr", pseudonym="Racine", is_staff=True, is_superuser=True)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)


def requests_for(route, valid, values, post_values, actions=None):
    """(method, url, data) for `route`: hostile path parameters, then valid ones with hostile query and form."""
    has_params = bool(PARAM.search(route))
    for number, value in enumerate(values):
        if has_params:
            yield "get", fill(route, {"*": value}), None
        path = fill(route, valid)
        query = urlencode(dict.fromkeys(QUERY_PARAMS, value), doseq=True)
        yield "get", f"{path}?{query}", None
        if value in post_values:
            form = {name: [value, "1"] for name in FORM_FIELDS}
            form["action"] = actions[number % len(actions)] if actions else value
            yield "post", f"{path}?{query}", form


def plan(site, role):
    """The requests of one role: every value on every route for the superuser, one value per route for the others.

    The others' value turns with the route and the role, so that across roles every route meets each of FEW.
    """
    index = ROLES.index(role)
    for number, route in enumerate(site["routes"]):
        if role == "superuser":
            values = FEW if route.startswith(site["project_url"]) else VALUES
        else:
            values = [FEW[(number + index) % len(FEW)]]
        # Forms meet the values that differ in kind (digits, quotes, NUL); every value goes in the query.
        actions = ACTIONS if role == "superuser" else None
        for method, url, data in requests_for(route, site["valid"], values, post_values=FEW, actions=actions):
            yield route, method, url, data
    internal = FEW if role == "superuser" else FEW[index % len(FEW) :][:1]
    for method, url, data in internal_requests(site["page"], internal):
        yield url, method, url, data


def internal_requests(page, values):
    for template in INTERNAL_SAMPLE:
        for value in values:
            yield "get", template.format(value=quote(value, safe=""), page=page.pk), None


@pytest.fixture
def quiet_request_log():
    """Thousands of 404s and 403s are expected here: keep their log lines out of the test output."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("role", ROLES)
def test_no_url_answers_500_to_hostile_values(request, role, site, settings, quiet_request_log):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    client = Client(raise_request_exception=True, HTTP_HOST="localhost")
    sign_in(request, role, client)
    failures, count, refused = [], 0, set()
    for route, method, url, data in plan(site, role):
        if (route, method) in refused:
            continue  # this route does not take this method: once is enough to know it
        count += 1
        try:
            response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        except Exception:  # noqa: BLE001 - every crash is collected, then reported together
            failures.append(f"{method.upper()} {url!r}\n{traceback.format_exc(limit=-3)}")
            continue
        if response.status_code == 405:
            refused.add((route, method))
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url!r} answered {response.status_code}")
    assert count > 100
    assert not failures, f"{len(failures)} of {count} requests crashed:\n\n" + "\n\n".join(failures[:15])


def test_every_project_url_pattern_is_exercised(site):
    """A new URL pattern of the project is covered without editing this test; skipping one needs a reason."""
    names = set(project_routes())
    assert "/search/" in names
    assert "/leaderboard/member/<id:member_id>/" in names
    assert "/admin/engaged-residents/<id:member_id>/" in names
    assert "/admin/patrol/pages/<id:page_id>/hide/<id:revision_id>/" in names
    assert any(name.startswith("/admin/blocks/") for name in names)
    assert any(route.endswith("restore/<id:revision_id>/") for route in site["routes"])
    assert any(route.endswith("invite/") for route in site["routes"])
    assert "/discussion/comment/<id:comment_id>/reply/" in names
    assert set(SKIPPED) <= {route for route, _pattern, _ns in walk(get_resolver().url_patterns)} or not (
        settings.BENCHMARK
    )
