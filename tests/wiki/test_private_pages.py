"""Private pages stay private: no list, feed, search, digest or count shows what a visitor may not read.

Staff make a page private with Wagtail's privacy setting (PageViewRestriction):
"login" lets signed-in members read it, "groups" the members of those groups,
"password" nobody in a list. Each list is asked by an anonymous visitor, a
signed-in resident and a member of the group; query counts stay flat.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from wagtail.models import PageViewRestriction

from members import visibility
from tests.wiki.conftest import edit
from wiki import follows
from wiki.models import Theme

pytestmark = pytest.mark.django_db

# Which private pages each viewer may see (the public pages are seen by all).
SEES = {
    "anonymous": set(),
    "resident": {"login"},
    "councillor": {"login", "group"},
    "superuser": {"login", "group"},
}
TITLES = {
    "public": "Marché public",
    "login": "Réunion des membres",
    "group": "Budget du conseil",
    "password": "Coffre à code",
}
SUMMARIES = {kind: f"Résumé {kind}" for kind in TITLES}


def restrict(page, kind, group=None):
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type={"login": "login", "group": "groups", "password": "password"}[kind],
        password="sesame" if kind == "password" else "",
    )
    if group is not None:
        restriction.groups.add(group)
    return restriction


@pytest.fixture
def council(db):
    return Group.objects.create(name="Conseil de quartier")


@pytest.fixture
def viewers(resident, make_user, council):
    return {
        "anonymous": None,
        "resident": resident,
        "councillor": make_user("elu@example.fr", pseudonym="Elu", groups=[council.name]),
        "superuser": make_user("root@example.fr", pseudonym="Root", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def theme(db):
    return Theme.objects.order_by("pk").first()


@pytest.fixture
def pages(territory, write_page, other_resident, council, theme):
    """One page of each kind under Lormont, one project of each kind, and a private neighbourhood's page."""
    made = {}
    for kind, title in TITLES.items():
        body = f"Le quartier en parle. [[{TITLES['public']}]]" if kind != "public" else "Le quartier en parle."
        page = write_page(
            territory["lormont"], title, body, user=other_resident, summary=SUMMARIES[kind], themes=[theme.pk]
        )
        project = write_page(
            territory["lormont"], f"Projet {title}", "Un projet du quartier.", page_type="project", themes=[theme.pk]
        )
        subpage = write_page(page, f"Sous-page {title}", "Détail.")
        if kind != "public":
            restrict(page, kind, council if kind == "group" else None)
            restrict(project, kind, council if kind == "group" else None)
        made[kind] = {"page": page, "project": project, "subpage": subpage}
    return made


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def assert_shows(html, viewer, *, titles=TITLES, prefix=""):
    for kind, title in titles.items():
        shown = kind == "public" or kind in SEES[viewer]
        assert (f"{prefix}{title}" in html) is shown, (viewer, kind)


VIEWERS = list(SEES)


# The rule --------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_rule_for_each_kind_of_restriction(pages, viewers, viewer):
    from wagtail.models import Page

    user = viewers[viewer]
    pages_of_kinds = Page.objects.filter(pk__in=[made["page"].pk for made in pages.values()])
    seen = set(visibility.visible(pages_of_kinds, user).values_list("pk", flat=True))
    assert {kind for kind, made in pages.items() if made["page"].pk in seen} == {"public"} | SEES[viewer]
    for kind, made in pages.items():  # the subpages of a private page are private too
        assert visibility.can_see(user, made["subpage"]) is (kind == "public" or kind in SEES[viewer])


# Recent changes and feeds ----------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_recent_changes_and_its_feed(pages, viewers, viewer):
    client = client_for(viewers[viewer])
    for url in ("/recent-changes/", "/recent-changes/feed/", "/recent-changes/?commune=lormont"):
        html = client.get(url).text
        assert_shows(html, viewer)
        assert_shows(html, viewer, titles=SUMMARIES)


def test_a_private_pages_history_and_feed_are_refused_to_the_public(pages):
    page = pages["login"]["page"]
    for suffix in ("history/", "history/feed/", ""):
        response = Client().get(f"{page.url}{suffix}")
        assert response.status_code == 302 and "login" in response.url
    assert "Réunion" not in Client().get(f"{page.url}history/feed/").text


@pytest.mark.parametrize("viewer", VIEWERS)
def test_home_commune_and_neighbourhood_listings(pages, viewers, viewer, territory):
    client = client_for(viewers[viewer])
    html = client.get(territory["lormont"].url).text  # its pages, projects and latest changes
    assert_shows(html, viewer)
    assert_shows(html, viewer, prefix="Projet ")
    assert_shows(client.get(territory["home"].url).text, viewer)  # latest changes and projects
    subpages_html = "".join(client.get(made["page"].url).text for kind, made in pages.items() if kind == "public")
    assert "Sous-page Marché public" in subpages_html


def test_a_private_neighbourhood_leaves_the_communes_list(territory, viewers, write_page):
    restrict(territory["carriet"], "login")
    write_page(territory["carriet"], "Fête de Carriet", "Samedi.")
    assert "Carriet" not in Client().get(territory["lormont"].url).text
    assert "Carriet" in client_for(viewers["resident"]).get(territory["lormont"].url).text
    assert "Fête de Carriet" not in Client().get("/recent-changes/").text


@pytest.mark.parametrize("viewer", VIEWERS)
def test_subpages_and_what_links_here(pages, viewers, viewer):
    client = client_for(viewers[viewer])
    html = client.get(pages["public"]["page"].url).text  # every private page links to the public one
    assert_shows(html, viewer, titles={kind: title for kind, title in TITLES.items() if kind != "public"})


# Search, projects, themes ----------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search(pages, viewers, viewer):
    html = client_for(viewers[viewer]).get("/search/?q=quartier").text
    assert_shows(html, viewer)
    assert_shows(html, viewer, prefix="Projet ")


@pytest.mark.parametrize("viewer", VIEWERS)
def test_projects_and_themes(pages, viewers, viewer, theme):
    client = client_for(viewers[viewer])
    assert_shows(client.get("/projects/").text, viewer, prefix="Projet ")
    html = client.get(f"/themes/{theme.slug}/").text
    assert_shows(html, viewer)
    assert_shows(html, viewer, prefix="Projet ")
    response = client.get("/themes/")
    [counted] = [item for item in response.context["themes"] if item.pk == theme.pk]
    expected = 1 + len(SEES[viewer])
    assert (counted.page_count, counted.project_count) == (expected, expected)


# Follows ---------------------------------------------------------------------------------


def test_digests_leave_out_the_pages_a_member_may_not_read(pages, viewers, other_resident, resident):
    councillor = viewers["councillor"]
    for kind in ("public", "group", "password"):
        for user in (resident, councillor):
            follows.follow(user, pages[kind]["page"])
    for kind in ("public", "group", "password"):
        edit(pages[kind]["page"], other_resident, f"Nouveau texte {kind}.", summary=f"Changement {kind}")
    mail.outbox.clear()
    digests = {digest.user: {entry.title for entry in digest.entries} for digest in follows.pending_digests()}
    assert digests[resident] == {TITLES["public"]}
    assert digests[councillor] == {TITLES["public"], TITLES["group"]}
    follows.send_digests()
    [to_resident] = [message for message in mail.outbox if message.to == [resident.email]]
    assert TITLES["group"] not in to_resident.body and "Changement group" not in to_resident.body
    assert TITLES["password"] not in to_resident.body


def test_the_followed_pages_list(pages, viewers, resident):
    for kind in ("public", "group"):
        follows.follow(resident, pages[kind]["page"])
    html = client_for(resident).get("/me/follows/").text
    assert TITLES["public"] in html and TITLES["group"] not in html


# Queries stay flat -----------------------------------------------------------------------


def _more_private_pages(territory, write_page, council, count):
    for n in range(count):
        page = write_page(territory["cenon"], f"Page privée {n}", "Le quartier en parle.", summary="privé")
        restrict(page, "group" if n % 2 else "login", council if n % 2 else None)


@pytest.mark.parametrize("viewer", ["anonymous", "councillor"])
def test_lists_take_the_same_queries_with_more_private_pages(
    pages, viewers, viewer, territory, write_page, council, django_assert_max_num_queries
):
    urls = ["/recent-changes/", "/recent-changes/feed/", "/search/?q=quartier", territory["lormont"].url, "/projects/"]
    client = client_for(viewers[viewer])
    for url in urls:
        client.get(url)  # warm the caches (site, settings)
    counts = {}
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    _more_private_pages(territory, write_page, council, 6)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


# Workshops, the public contributions page and the territory choices ------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_workshops_list_and_calendars_leave_out_private_workshops(make_workshop, workshop_index, viewers, viewer):
    from django.urls import reverse

    from workshops import services
    from workshops.models import CalendarFeed

    make_workshop(title="Atelier ouvert", slug="atelier-ouvert")
    private = make_workshop(title="Atelier du conseil", slug="atelier-du-conseil")
    restrict(private, "login")
    html = client_for(viewers[viewer]).get(workshop_index.url).text
    assert "Atelier ouvert" in html
    assert ("Atelier du conseil" in html) is (viewer != "anonymous")
    public_calendar = Client().get(f"{workshop_index.url}calendar.ics").text
    assert "Atelier ouvert" in public_calendar and "Atelier du conseil" not in public_calendar
    if viewers[viewer] is not None:  # the private feed follows its member's own view
        member = viewers[viewer].member
        services.register(member, private)
        feed = CalendarFeed.objects.create(member=member)
        assert "Atelier du conseil" in Client().get(reverse("workshops:member-calendar", args=[feed.secret])).text
        restrict(private, "group", Group.objects.create(name=f"Comité {viewer}"))
        shown = Client().get(reverse("workshops:member-calendar", args=[feed.secret])).text
        assert ("Atelier du conseil" in shown) is (viewer == "superuser")


def test_public_contributions_page_leaves_out_private_pages(pages, other_resident, viewers):
    other_resident.member.show_on_leaderboard = True
    other_resident.member.save()
    url = f"/leaderboard/member/{other_resident.member.pk}/"
    for viewer in VIEWERS:
        html = client_for(viewers[viewer]).get(url).text
        assert_shows(html, viewer)


def test_territory_choices_leave_out_a_private_commune(territory, client):
    restrict(territory["cenon"], "login")
    for url in ("/accounts/signup/", "/leaderboard/"):
        html = client.get(url).text
        assert "Lormont" in html, url
        assert "Cenon" not in html and "Palmer" not in html, url


# Links to a private page -----------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_wiki_link_to_a_private_page_is_red_to_whoever_may_not_read_it(pages, viewers, viewer, territory, write_page):
    links = " ".join(f"[[{TITLES[kind]}]]" for kind in TITLES)
    page = write_page(territory["lormont"], "Liens vers tout", f"Voir {links}.")
    html = client_for(viewers[viewer]).get(page.url).content.decode()
    for kind in TITLES:
        target = pages[kind]["page"]
        readable = kind == "public" or kind in SEES[viewer]
        assert (f'href="{target.url}"' in html) is readable, (viewer, kind)
        if not readable:  # as if the page did not exist: a red link to write one
            assert "wiki-link new" in html
    # The same page read again by someone else is not served from the first reader's cache.
    again = client_for(None).get(page.url).content.decode()
    assert f'href="{pages["login"]["page"].url}"' not in again
