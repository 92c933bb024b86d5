"""Themes of wiki pages and projects: forms, revisions, merge, undo, theme pages, /projects/ filter."""

import re

import pytest
from django.utils.translation import gettext
from wagtail.models import Revision

from tests.conftest import add_page
from tests.wiki.conftest import edit
from wiki import services, themes
from wiki.forms import EditForm, NewPageForm, ThemeFilterForm
from wiki.models import ProjectPage, Theme, WikiPage
from wiki.services import EditConflict

pytestmark = pytest.mark.django_db

TEXT = "Le tram passe toutes les cinq minutes.\n\nLa station est accessible.\n\nUn parc relais est ouvert."


@pytest.fixture
def theme(db):
    """The default themes (wiki migration 0005), by slug."""
    return {item.slug: item for item in Theme.objects.all()}


@pytest.fixture
def tram(territory, write_page, theme):
    return write_page(territory["genicart"], "Le tram", TEXT, themes=[theme["mobilite"]])


def fresh(page):
    return page.specific_class.objects.get(pk=page.pk)


def slugs(page):
    return sorted(fresh(page).themes.values_list("slug", flat=True))


def ids(*items):
    return tuple(sorted(item.pk for item in items))


def base_id(response):
    return re.search(r'name="base_revision_id" value="(\d+)"', response.text).group(1)


# Forms ------------------------------------------------------------------------------------------


def test_the_default_themes_are_there(theme):
    assert len(theme) == 8
    assert theme["mobilite"].name == "Mobilité"


def test_edit_and_new_forms_offer_the_themes_as_checkboxes(theme):
    for form in (EditForm(), EditForm(project=True), NewPageForm()):
        html = str(form["themes"])
        assert html.count('type="checkbox"') == 8
        assert "Mobilité" in html
    fields = list(EditForm(project=True).fields)
    assert fields.index("body") < fields.index("themes") < fields.index("summary")


def test_the_form_hands_the_themes_to_the_service_as_ids(theme):
    data = {"title": "Tram", "body": "x", "themes": [theme["mobilite"].pk, theme["culture"].pk]}
    form = EditForm(data)
    assert form.is_valid(), form.errors
    assert form.facts() == {"themes": ids(theme["mobilite"], theme["culture"])}
    form = NewPageForm({**data, "kind": "wiki"})
    assert form.is_valid(), form.errors
    assert form.facts()["themes"] == ids(theme["mobilite"], theme["culture"])


@pytest.mark.parametrize("bad", ["999999", "mobilite", ""])
def test_an_unknown_theme_is_refused_with_a_message(theme, bad):
    form = EditForm({"title": "Tram", "body": "x", "themes": [bad]})
    assert not form.is_valid()
    assert form.errors["themes"]


def test_theme_filter_form_explains_bad_values(territory):
    form = ThemeFilterForm({"commune": "nowhere", "status": "bogus"})
    assert not form.is_valid()
    assert form.errors["commune"] == [gettext("Unknown commune: choose one from the list.")]
    assert "bogus" in form.errors["status"][0]
    form = ThemeFilterForm({"commune": "lormont", "status": "idea"})
    assert form.is_valid() and form.cleaned_data["commune"] == territory["lormont"]


# Services: revisions carry the themes -----------------------------------------------------------------


def test_creating_a_page_or_a_project_with_themes(tram, territory, write_page, theme):
    assert slugs(tram) == ["mobilite"]
    assert fresh(tram).latest_revision.content["themes"] == [theme["mobilite"].pk]
    project = write_page(
        territory["palmer"], "Pistes", "x", page_type="project", status="idea", themes=[theme["environnement"].pk]
    )
    assert slugs(project) == ["environnement"] and fresh(project).status == "idea"


def test_an_edit_records_the_themes_in_its_revision(tram, other_resident, theme):
    outcome = edit(tram, other_resident, TEXT, facts={"themes": [theme["mobilite"], theme["environnement"]]})
    assert outcome.revision is not None  # a change of themes alone is a change
    assert slugs(tram) == ["environnement", "mobilite"]
    assert services.revision_content(WikiPage, outcome.revision)["themes"] == ids(
        theme["mobilite"], theme["environnement"]
    )
    # The same themes again: nothing to save.
    assert edit(tram, other_resident, TEXT, facts={"themes": [theme["environnement"], theme["mobilite"]]}).unchanged


def test_an_edit_without_themes_keeps_them(tram, other_resident):
    edit(tram, other_resident, TEXT + "\n\nEt un abri vélo.")
    assert slugs(tram) == ["mobilite"]


def test_a_deleted_theme_is_dropped_from_old_revisions(tram, other_resident, theme):
    revision = edit(tram, other_resident, TEXT, facts={"themes": [theme["mobilite"], theme["sport"]]}).revision
    theme["sport"].delete()
    assert services.revision_content(WikiPage, revision)["themes"] == ids(theme["mobilite"])
    assert edit(tram, other_resident, TEXT, facts={"themes": [theme["mobilite"]]}).unchanged


def test_their_theme_change_and_my_text_change_merge(tram, resident, other_resident, theme):
    base = tram.latest_revision_id
    edit(tram, other_resident, TEXT, facts={"themes": [theme["mobilite"], theme["environnement"]]})
    outcome = edit(tram, resident, TEXT.replace("cinq", "six"), base=base)
    assert outcome.merged
    page = fresh(tram)
    assert "six minutes" in page.body
    assert slugs(page) == ["environnement", "mobilite"]


def test_my_theme_change_and_their_text_change_merge(tram, resident, other_resident, theme):
    base = tram.latest_revision_id
    edit(tram, other_resident, TEXT.replace("cinq", "six"))
    outcome = edit(tram, resident, TEXT, base=base, facts={"themes": [theme["culture"]]})
    assert outcome.merged
    assert "six minutes" in fresh(tram).body and slugs(tram) == ["culture"]


def test_the_same_theme_change_by_both_is_no_conflict(tram, resident, other_resident, theme):
    base = tram.latest_revision_id
    wanted = [theme["mobilite"], theme["sport"]]
    edit(tram, other_resident, TEXT, facts={"themes": wanted})
    assert edit(tram, resident, TEXT, base=base, facts={"themes": wanted}).unchanged


def test_conflicting_theme_changes_are_a_conflict(tram, resident, other_resident, theme):
    base = tram.latest_revision_id
    edit(tram, other_resident, TEXT, facts={"themes": [theme["culture"]]})
    with pytest.raises(EditConflict) as caught:
        edit(tram, resident, TEXT, base=base, facts={"themes": [theme["sport"]]})
    assert caught.value.fields == ["themes"]
    assert caught.value.their_content["themes"] == ids(theme["culture"])
    assert slugs(tram) == ["culture"]


def test_undo_restore_and_rollback_bring_the_themes_back(tram, resident, other_resident, moderator, theme):
    changed = edit(tram, other_resident, TEXT, facts={"themes": [theme["culture"]]}).revision
    edit(tram, other_resident, TEXT.replace("cinq", "six"))
    services.undo(resident, fresh(tram), changed.pk)  # undo the theme change, keep the later text
    assert slugs(tram) == ["mobilite"] and "six minutes" in fresh(tram).body
    services.restore(resident, fresh(tram), changed.pk)
    assert slugs(tram) == ["culture"] and "cinq minutes" in fresh(tram).body
    edit(tram, other_resident, TEXT, facts={"themes": [theme["sport"]]})
    services.rollback(moderator, fresh(tram))  # back to the resident's restore
    assert slugs(tram) == ["culture"]


def test_theme_change_in_a_diff_reads_as_names(theme):
    before, after = {"themes": ids(theme["mobilite"])}, {"themes": ids(theme["mobilite"], theme["culture"])}
    change = themes.theme_change(WikiPage, before, after)
    label = str(WikiPage._meta.get_field("themes").verbose_name)  # "thèmes" in French
    assert [(str(item["label"]), item["old"], item["new"]) for item in change] == [
        (label, "Mobilité", "Culture, Mobilité")
    ]
    assert themes.theme_change(WikiPage, before, before) == []


# Views: editing ---------------------------------------------------------------------------------------


def test_resident_ticks_themes_in_the_edit_form(client, tram, other_resident, theme):
    client.force_login(other_resident)
    response = client.get(tram.url + "edit/")
    assert response.status_code == 200
    assert re.search(rf'value="{theme["mobilite"].pk}"[^>]*checked', response.text)
    assert "<legend>" in response.text  # the checkboxes are a labelled group
    response = client.post(
        tram.url + "edit/",
        {
            "title": tram.title,
            "body": TEXT,
            "themes": [theme["mobilite"].pk, theme["sport"].pk],
            "base_revision_id": base_id(response),
        },
    )
    assert response.status_code == 302
    assert slugs(tram) == ["mobilite", "sport"]
    assert fresh(tram).latest_revision.user == other_resident


def test_who_may_change_the_themes(client, tram, theme, any_role):
    role, user = any_role
    if user:
        client.force_login(user)
    base = tram.latest_revision_id
    data = {"title": tram.title, "body": TEXT, "themes": [theme["sport"].pk], "base_revision_id": base}
    response = client.post(tram.url + "edit/", data)
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
        assert slugs(tram) == ["mobilite"]
    else:
        assert response.status_code == 302 and response.url == tram.url
        assert slugs(tram) == ["sport"]


def test_unticking_every_theme_clears_them(client, tram, other_resident):
    client.force_login(other_resident)
    response = client.post(
        tram.url + "edit/", {"title": tram.title, "body": TEXT, "base_revision_id": tram.latest_revision_id}
    )
    assert response.status_code == 302
    assert slugs(tram) == []


def test_a_forged_theme_gets_a_message_not_an_error(client, tram, other_resident):
    client.force_login(other_resident)
    response = client.post(
        tram.url + "edit/",
        {"title": tram.title, "body": TEXT, "themes": ["999999"], "base_revision_id": tram.latest_revision_id},
    )
    assert response.status_code == 200
    assert "themes" in response.context["form"].errors
    assert slugs(tram) == ["mobilite"]


def test_a_theme_conflict_shows_their_themes(client, tram, resident, other_resident, theme):
    client.force_login(resident)
    base = base_id(client.get(tram.url + "edit/"))
    edit(tram, other_resident, TEXT, facts={"themes": [theme["culture"]]})
    response = client.post(
        tram.url + "edit/", {"title": tram.title, "body": TEXT, "themes": [theme["sport"].pk], "base_revision_id": base}
    )
    assert response.status_code == 409
    assert gettext("Their themes: %(themes)s") % {"themes": "Culture"} in response.text
    assert re.search(rf'value="{theme["sport"].pk}"[^>]*checked', response.text)  # my choice is kept
    assert slugs(tram) == ["culture"]


def test_resident_creates_a_page_with_themes(client, resident, territory, theme):
    client.force_login(resident)
    response = client.post(
        territory["carriet"].url + "new/",
        {"kind": "project", "title": "Jardin", "body": "Un jardin.", "status": "idea", "themes": [theme["sport"].pk]},
    )
    assert response.status_code == 302
    assert slugs(ProjectPage.objects.get(title="Jardin")) == ["sport"]


def test_the_diff_shows_a_theme_change(client, tram, other_resident, theme):
    before = tram.latest_revision_id
    after = edit(tram, other_resident, TEXT, facts={"themes": [theme["mobilite"], theme["culture"]]}).revision.pk
    html = client.get(f"{tram.url}diff/{before}/{after}/").text
    facts = html[html.index('class="diff-facts"') :]
    assert "Mobilité" in facts and "Culture, Mobilité" in facts


def test_pages_and_projects_link_their_themes(client, tram, territory, write_page, theme):
    html = client.get(tram.url).text
    assert 'href="/themes/mobilite/"' in html and "Mobilité" in html
    project = write_page(territory["palmer"], "Pistes", "x", page_type="project", themes=[theme["environnement"]])
    assert 'href="/themes/environnement/"' in client.get(project.url).text


# Theme pages --------------------------------------------------------------------------------------------


@pytest.fixture
def themed(territory, write_page, theme, other_resident):
    """Mobility: a page in Génicart, an idea in Lormont, a project done in Palmer; culture: a page."""
    mobility = [theme["mobilite"]]
    karim = {"user": other_resident}  # new accounts create a few pages a day (wiki.ratelimits)
    return {
        "tram": write_page(territory["genicart"], "Le tram", TEXT, themes=mobility),
        "bus": write_page(territory["lormont"], "Navette", "x", page_type="project", status="idea", themes=mobility),
        "bike": write_page(
            territory["palmer"], "Vélos", "x", page_type="project", status="done", themes=mobility, **karim
        ),
        "museum": write_page(territory["carriet"], "Musée", "x", themes=[theme["culture"]], **karim),
    }


def test_themes_list_with_their_numbers_for_every_role(client, themed, any_role):
    _role, user = any_role
    if user:
        client.force_login(user)
    response = client.get("/themes/")
    assert response.status_code == 200
    counts = {item.slug: (item.page_count, item.project_count) for item in response.context["themes"]}
    assert counts["mobilite"] == (1, 2) and counts["culture"] == (1, 0) and counts["sport"] == (0, 0)
    assert 'href="/themes/mobilite/"' in response.text


def test_unpublished_pages_are_not_counted_nor_listed(client, themed):
    themed["bike"].unpublish()
    counts = {item.slug: (item.page_count, item.project_count) for item in themes.themes_with_counts()}
    assert counts["mobilite"] == (1, 1)
    assert "Vélos" not in client.get("/themes/mobilite/").text


def test_a_theme_lists_its_pages_and_projects_by_status_for_every_role(client, themed, any_role):
    _role, user = any_role
    if user:
        client.force_login(user)
    response = client.get("/themes/mobilite/")
    assert response.status_code == 200
    html = response.text
    assert "Le tram" in html and "Navette" in html and "Vélos" in html and "Musée" not in html
    assert html.index("Navette") < html.index("Vélos")  # ideas before done projects
    groups = [(str(status.label), [p.title for p in group]) for status, group in response.context["project_groups"]]
    assert groups == [(gettext("Idea"), ["Navette"]), (gettext("Done"), ["Vélos"])]
    assert "· Génicart" in html and "· Palmer" in html


def test_a_theme_filters_by_commune_and_status(client, themed):
    html = client.get("/themes/mobilite/", {"commune": "lormont"}).text
    assert "Le tram" in html and "Navette" in html and "Vélos" not in html
    response = client.get("/themes/mobilite/", {"status": "done"})
    assert [p.title for p in response.context["projects"]] == ["Vélos"]
    assert [p.title for p in response.context["pages"]] == ["Le tram"]


def test_unknown_theme_is_a_404(client, territory):
    assert client.get("/themes/nowhere/").status_code == 404


@pytest.mark.parametrize("query", [{"commune": "nowhere"}, {"status": "bogus"}, {"commune": "x", "status": "y"}])
def test_unknown_filter_values_get_a_clear_message(client, themed, query):
    response = client.get("/themes/mobilite/", query)
    assert response.status_code == 400
    assert gettext("Please correct the errors below.") in response.text
    assert "Navette" not in response.text


def test_bad_page_numbers_show_a_page_not_an_error(client, themed):
    for value in ("abc", "999", "-1"):
        assert client.get("/themes/mobilite/", {"pages_page": value, "projects_page": value}).status_code == 200


def test_a_theme_page_is_paginated_keeping_the_filters(client, territory, theme, monkeypatch):
    monkeypatch.setattr(themes, "THEME_PAGES_PER_PAGE", 2)
    for index in range(5):
        add_page(territory["genicart"], WikiPage(title=f"Page {index}", slug=f"page-{index}", themes=[theme["sport"]]))
    response = client.get("/themes/sport/", {"commune": "lormont"})
    assert [p.title for p in response.context["pages"]] == ["Page 0", "Page 1"]
    assert response.context["pages_next"] == "?commune=lormont&pages_page=2"
    response = client.get("/themes/sport/" + response.context["pages_next"])
    assert [p.title for p in response.context["pages"]] == ["Page 2", "Page 3"]
    assert 'rel="prev"' in response.text and 'rel="next"' in response.text


def test_theme_pages_run_a_fixed_number_of_queries(client, territory, theme, django_assert_max_num_queries):
    def grow(start, count):
        for index in range(start, start + count):
            place = territory["genicart"] if index % 2 else territory["palmer"]
            add_page(place, WikiPage(title=f"Page {index}", slug=f"page-{index}", themes=[theme["sport"]]))
            status = ["idea", "done", "in_progress"][index % 3]
            add_page(
                place,
                ProjectPage(title=f"Projet {index}", slug=f"projet-{index}", status=status, themes=[theme["sport"]]),
            )

    client.get("/themes/")
    grow(0, 2)
    for url in ("/themes/", "/themes/sport/", "/themes/sport/?commune=lormont&status=idea"):
        with django_assert_max_num_queries(9):  # a theme's selection "À la une" included
            assert client.get(url).status_code == 200
    grow(2, 20)
    for url in ("/themes/", "/themes/sport/", "/themes/sport/?commune=lormont&status=idea"):
        with django_assert_max_num_queries(9):  # a theme's selection "À la une" included
            assert client.get(url).status_code == 200
    assert client.get("/themes/sport/").context["projects"].paginator.count == 22


# /projects/ and the navigation ----------------------------------------------------------------------------


def test_projects_filter_by_theme(client, themed, territory, write_page, theme, make_user):
    author = make_user("lea@example.fr", pseudonym="Léa")
    write_page(territory["palmer"], "Fresque", "x", page_type="project", themes=[theme["culture"]], user=author)
    html = client.get("/projects/", {"theme": "mobilite"}).text
    group = html[html.index('class="project-groups"') :]
    assert "Navette" in group and "Vélos" in group and "Fresque" not in group
    assert 'value="mobilite" selected' in html
    html = client.get("/projects/", {"theme": "mobilite", "commune": "cenon"}).text
    group = html[html.index('class="project-groups"') :]
    assert "Vélos" in group and "Navette" not in group


def test_projects_with_an_unknown_theme_say_so(client, themed):
    response = client.get("/projects/", {"theme": "nowhere"})
    assert response.status_code == 200
    assert "nowhere" in response.text and 'role="alert"' in response.text
    assert "Navette" in response.text and "Vélos" in response.text  # the filter is not applied


def test_the_wiki_menu_links_to_the_themes(client, territory):
    assert 'href="/themes/"' in client.get("/projects/").text


def test_themes_revision_content_survives_revisions_without_themes(tram):
    revision = Revision.page_revisions.get(pk=tram.latest_revision_id)
    revision.content.pop("themes")
    assert services.revision_content(WikiPage, revision)["themes"] == ()
