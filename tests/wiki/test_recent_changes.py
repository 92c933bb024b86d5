"""/recent-changes/ and its Atom feed; the home page and communes show the latest activity."""

import re

import pytest

from tests.wiki.conftest import edit
from wiki import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(territory, resident, other_resident, write_page):
    market = write_page(territory["genicart"], "Le marché", "Le samedi.")
    edit(market, other_resident, "Le samedi matin.", summary="horaires")
    garden = write_page(territory["palmer"], "Jardin partagé", "Un jardin.", page_type="project", user=other_resident)
    return {"market": market, "garden": garden}


def test_recent_changes_lists_every_revision_newest_first(client, activity):
    response = client.get("/recent-changes/")
    assert response.status_code == 200
    html = response.text
    assert html.count('class="history-entry') == 3
    assert html.index("Jardin partagé") < html.index("horaires")
    assert "Karim" in html and "Nadia" in html
    assert f"{activity['market'].url}changes/" in html


def test_filter_by_commune_and_new_pages(client, activity):
    html = client.get("/recent-changes/?commune=cenon").text
    assert "Jardin partagé" in html and "Le marché" not in html.split("<h1>")[1]
    html = client.get("/recent-changes/?new=1").text
    assert html.count('class="history-entry') == 2 and "horaires" not in html
    html = client.get("/recent-changes/?commune=lormont&new=1").text
    assert html.count('class="history-entry') == 1
    assert client.get("/recent-changes/?commune=nowhere").status_code == 200
    assert client.get("/recent-changes/?page=99").status_code == 404


def test_changes_link_leads_to_the_diff(client, activity):
    market = activity["market"]
    revisions = list(services.page_revisions(market).order_by("pk").values_list("pk", flat=True))
    response = client.get(f"{market.url}changes/{revisions[1]}/")
    assert response.status_code == 302 and response.url == f"{market.url}diff/{revisions[0]}/{revisions[1]}/"
    response = client.get(f"{market.url}changes/{revisions[0]}/")
    assert response.status_code == 302 and response.url.endswith(f"history/#v{revisions[0]}")
    assert client.get(f"{market.url}changes/999999/").status_code == 404


def test_recent_changes_feed(client, activity):
    response = client.get("/recent-changes/feed/?new=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response.text.count("<entry>") == 2
    assert "Jardin partagé" in response.text
    assert client.get("/recent-changes/feed/?commune=lormont").text.count("<entry>") == 2


def test_home_and_commune_show_latest_projects_and_changes(client, activity, territory):
    html = client.get("/").text
    assert "Jardin partagé" in html and "Le marché" in html
    html = client.get(territory["lormont"].url).text
    assert "Le marché" in html and "Jardin partagé" not in html
    assert "/recent-changes/?commune=lormont" in html


def test_the_main_menu_links_to_recent_changes(client, territory):
    assert 'href="/recent-changes/"' in client.get("/").text


def test_recent_changes_queries_do_not_grow(client, territory, resident, write_page, django_assert_max_num_queries):
    client.get("/")  # warm Wagtail's site cache
    counts = []
    for size in (2, 25):
        for i in range(size):
            page = write_page(territory["genicart"] if i % 2 else territory["palmer"], f"Page {size}-{i}", "x")
            edit(page, resident, "y")
        measured = []
        for url in ("/recent-changes/", "/recent-changes/?commune=lormont&new=1", "/recent-changes/feed/", "/"):
            with django_assert_max_num_queries(15) as queries:
                assert client.get(url).status_code == 200
            measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1]


def test_projects_of_the_territory_by_status_and_commune(client, territory, write_page, django_assert_max_num_queries):
    write_page(territory["genicart"], "Skatepark", page_type="project", status="idea")
    write_page(territory["palmer"], "Jardin partagé", page_type="project", status="done")
    write_page(territory["lormont"], "Piste cyclable", page_type="project", status="in_progress")
    html = client.get("/projects/").text
    assert all(title in html for title in ("Skatepark", "Jardin partagé", "Piste cyclable"))
    assert "· Génicart" in html and "· Palmer" in html and "· Lormont" in html
    html = client.get("/projects/?commune=lormont").text
    assert "Skatepark" in html and "Piste cyclable" in html and "Jardin partagé" not in html
    html = client.get("/projects/?commune=lormont&status=idea").text
    group = html[html.index('class="project-groups"') :]
    assert "Skatepark" in group and "Piste cyclable" not in group
    assert client.get("/projects/?commune=nowhere&status=bogus").status_code == 200
    client.get("/projects/")
    with django_assert_max_num_queries(6):
        client.get("/projects/")


def test_next_page_of_changes_keeps_the_filters(client, activity, monkeypatch):
    monkeypatch.setattr("wiki.views.RECENT_CHANGES_PER_PAGE", 1)
    html = client.get("/recent-changes/?commune=lormont").text
    assert 'href="?commune=lormont&amp;page=2"' in html


def test_recent_changes_stop_at_the_limit_and_say_so(client, activity, monkeypatch):
    monkeypatch.setattr("wiki.views.RECENT_CHANGES_PER_PAGE", 1)
    monkeypatch.setattr("wiki.views.RECENT_CHANGES_LIMIT", 2)
    first = client.get("/recent-changes/")
    assert first.context["page_of_changes"].paginator.num_pages == 2
    assert "list-limit" not in first.text
    last = client.get("/recent-changes/?page=2")
    notice = last.text[last.text.index('class="list-limit"') :].split("</p>")[0]
    assert "aux 2 dernières modifications" in notice  # the default language is French
    assert client.get("/recent-changes/?page=3").status_code == 404


# Pagination, period and member filters, authors linked to their contributions -------------------------


def entries(html):
    return html.count('class="history-entry')


def test_pagination_leads_to_older_changes_and_keeps_the_filters(client, activity, monkeypatch):
    monkeypatch.setattr("wiki.views.RECENT_CHANGES_PER_PAGE", 1)
    first = client.get("/recent-changes/?member=Karim")
    assert entries(first.text) == 1 and "Jardin partagé" in first.text
    assert 'href="?member=Karim&amp;page=2" rel="next"' in first.text
    older = client.get("/recent-changes/?member=Karim&page=2")
    assert entries(older.text) == 1 and "horaires" in older.text
    assert client.get("/recent-changes/?member=Karim&page=3").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9" * 40, "²", "1.5"])
def test_a_forged_page_number_is_a_404(client, activity, page):
    assert client.get("/recent-changes/", {"page": page}).status_code == 404


def test_filter_by_period(client, activity, resident):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Revision

    old = services.page_revisions(activity["market"]).order_by("pk").first()
    Revision.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    assert entries(client.get("/recent-changes/?period=30d").text) == 2
    assert entries(client.get("/recent-changes/?period=12m").text) == 3
    assert entries(client.get("/recent-changes/?period=all").text) == 3
    html = client.get("/recent-changes/?period=30d").text
    assert '<option value="30d" selected>' in html


@pytest.mark.parametrize("period", ["2w", "x" * 300, "\x00"])
def test_a_bad_period_is_explained(client, activity, period):
    response = client.get("/recent-changes/", {"period": period})
    assert response.status_code == 400
    assert "inconnue" in response.text and "Période" in response.text
    assert entries(response.text) == 0


def test_filter_by_member_lists_their_contributions(client, activity):
    html = client.get("/recent-changes/?member=karim").text  # any case
    assert "Contributions de Karim" in html
    assert entries(html) == 2 and "Jardin partagé" in html and "horaires" in html
    html = client.get("/recent-changes/?member=Nadia").text
    assert entries(html) == 1


@pytest.mark.parametrize("name", ["Personne", "x" * 300, "a\x00b"])
def test_an_unknown_member_is_explained(client, activity, name):
    response = client.get("/recent-changes/", {"member": name})
    assert response.status_code == 400
    assert entries(response.text) == 0
    assert 'class="errorlist"' in response.text


def test_authors_link_to_their_contributions(client, activity, other_resident):
    html = client.get("/recent-changes/").text
    assert 'href="/recent-changes/?member=Karim" class="author">Karim</a>' in html
    html = client.get(activity["market"].url + "history/").text
    assert 'href="/recent-changes/?member=Karim" class="author">Karim</a>' in html
    # The leaderboard's page of a member shows only with their consent.
    member_page = f"/leaderboard/member/{other_resident.member.pk}/"
    assert member_page not in client.get("/recent-changes/?member=Karim").text
    other_resident.member.show_on_leaderboard = True
    other_resident.member.save()
    assert member_page in client.get("/recent-changes/?member=Karim").text


def test_member_filter_keeps_private_pages_out(client, activity, other_resident, write_page, territory):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    secret = write_page(territory["genicart"], "Page confidentielle", "Réservé.", user=other_resident)
    restriction = PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get_or_create(name="Staff")[0])
    html = client.get("/recent-changes/?member=Karim").text
    assert "Page confidentielle" not in html and entries(html) == 2


def test_filtered_recent_changes_queries_do_not_grow(
    client, territory, resident, write_page, django_assert_max_num_queries
):
    counts = []
    for size in (2, 20):
        for i in range(size):
            page = write_page(territory["genicart"], f"Page {size}-{i}", "x")
            edit(page, resident, "y")
        client.get("/recent-changes/?member=Nadia&period=7d")  # warms Wagtail's site and content type caches
        with django_assert_max_num_queries(15) as queries:
            assert client.get("/recent-changes/?member=Nadia&period=7d").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# A page's history numbers its own versions -----------------------------------------------------------


def test_history_numbers_the_pages_own_versions(client, activity, resident, monkeypatch):
    market = activity["market"]
    edit(market, resident, "Le samedi matin et le dimanche.")
    html = client.get(market.url + "history/").text
    assert [int(n) for n in re.findall(r'class="version-number">Version (\d+)<', html)] == [3, 2, 1]
    revisions = list(services.page_revisions(market).order_by("pk").values_list("pk", flat=True))
    diff = client.get(f"{market.url}diff/{revisions[0]}/{revisions[2]}/").text
    assert "version 1</span>" in diff and "version 3</span>" in diff
    assert f"#{revisions[2]}" not in diff
    monkeypatch.setattr("wiki.views.HISTORY_PER_PAGE", 2)
    older = client.get(market.url + "history/?page=2").text
    assert re.findall(r'class="version-number">Version (\d+)<', older) == ["1"]
