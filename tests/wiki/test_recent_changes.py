"""/recent-changes/ and its Atom feed; the home page and communes show the latest activity."""

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
