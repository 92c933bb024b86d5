"""The editor: its toolbar's no-JavaScript fallback, the page suggestions, the new-page form's project group."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from wiki import links, ratelimits
from wiki.models import ProjectPage, WikiPage

pytestmark = pytest.mark.django_db

SUGGEST = reverse("wiki:page-titles")


@pytest.fixture
def market(territory, write_page):
    return write_page(territory["genicart"], "Le marché", "Le samedi.")


# The toolbar and the preview without JavaScript -------------------------------------------------


@pytest.mark.parametrize("where", ["edit", "new"])
def test_the_toolbar_is_an_enhancement_and_preview_a_submit_button(client, resident, market, territory, where):
    client.force_login(resident)
    url = market.url + "edit/" if where == "edit" else territory["genicart"].url + "new/"
    html = client.get(url).text
    # The toolbar is hidden until editor.js shows it; its buttons are real buttons with a label.
    assert 'role="toolbar"' in html and 'data-editor-toolbar="id_body"' in html
    toolbar = html.split('role="toolbar"')[1].split("</div>")[0]
    assert " hidden>" in toolbar
    assert toolbar.count('<button type="button"') == 6 and "Gras" in toolbar and "Lien vers une page" in toolbar
    assert "/static/wiki/editor.js" in html and "<script>" not in html  # no inline script (CSP)
    # The preview is a submit button of the form itself: it works without JavaScript.
    form = html.split("data-editor-form>")[1].split("</form>")[0]
    assert '<button type="submit" name="preview" value="1"' in form
    assert "[[Titre de la page]]" in html  # the Markdown help stays for those without the toolbar


def test_the_preview_button_previews_without_javascript(client, resident, market):
    client.force_login(resident)
    response = client.post(
        market.url + "edit/",
        {
            "title": market.title,
            "body": "**gras** et [[Génicart]]",
            "base_revision_id": market.latest_revision_id,
            "preview": "1",
        },
    )
    assert response.status_code == 200
    slot = response.text.split("data-editor-preview-slot")[1].split("<form")[0]
    assert "<strong>gras</strong>" in slot and 'href="/lormont/genicart/"' in slot
    assert "**gras** et [[Génicart]]" in response.text  # the text stays in the form
    assert WikiPage.objects.get(pk=market.pk).body == "Le samedi."


# Page suggestions -----------------------------------------------------------------------------------


def titles(response):
    return [row["title"] for row in response.json()["results"]]


def test_suggestions_start_with_the_titles_that_start_with_the_text(client, territory, write_page):
    write_page(territory["genicart"], "Marché de Génicart")
    write_page(territory["palmer"], "Le marché du dimanche")
    response = client.get(SUGGEST, {"q": "marché"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "private" in response["Cache-Control"]
    assert titles(response) == ["Marché de Génicart", "Le marché du dimanche"]
    assert response.json()["results"][0]["place"] == "Génicart"
    assert titles(client.get(SUGGEST, {"q": "GÉNI"})) == ["Génicart", "Marché de Génicart"]


def test_private_pages_are_suggested_only_to_those_who_may_read_them(client, territory, write_page, resident):
    write_page(territory["genicart"], "Réunion publique")
    hidden = write_page(territory["genicart"], "Réunion des membres")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    assert titles(client.get(SUGGEST, {"q": "réunion"})) == ["Réunion publique"]
    client.force_login(resident)
    assert titles(client.get(SUGGEST, {"q": "réunion"})) == ["Réunion publique", "Réunion des membres"]


def test_suggestions_are_bounded(client, territory, write_page):
    for number in range(links.SUGGEST_LIMIT + 3):
        write_page(territory["genicart"], f"Jardin {number}")
    assert len(titles(client.get(SUGGEST, {"q": "jardin"}))) == links.SUGGEST_LIMIT
    assert titles(client.get(SUGGEST, {"q": "j"})) == []  # too short: nothing asked of the database
    assert titles(client.get(SUGGEST)) == []
    too_long = client.get(SUGGEST, {"q": "j" * (links.SUGGEST_MAX_LENGTH + 1)})
    assert too_long.status_code == 400 and "100 caractères" in too_long.json()["error"]
    assert client.get(SUGGEST, {"q": "ja\x00rdin"}).status_code == 400
    assert client.get(SUGGEST, {"q": "%_'\"; DROP"}).status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_suggestions_take_the_same_queries_with_more_pages(
    client, territory, write_page, resident, django_assert_max_num_queries, count
):
    for number in range(count):
        write_page(territory["genicart"], f"Rue {number}")
    client.force_login(resident)
    client.get("/")  # the session and the user are loaded once
    with django_assert_max_num_queries(4):
        assert len(titles(client.get(SUGGEST, {"q": "rue"}))) == min(count, links.SUGGEST_LIMIT)


def test_suggestions_are_rate_limited(client, territory, settings):
    settings.WIKI_REQUEST_LIMITS = {ratelimits.SUGGEST: 2}
    assert client.get(SUGGEST, {"q": "ge"}).status_code == 200
    assert client.get(SUGGEST, {"q": "gen"}).status_code == 200
    refused = client.get(SUGGEST, {"q": "geni"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "suggestions" in refused.json()["error"]


# The new-page form's project group ------------------------------------------------------------------


def new_page(client, territory, **data):
    return client.post(territory["genicart"].url + "new/", {"title": "Square", "body": "Un square.", **data})


def test_the_project_fields_are_a_labelled_group_after_the_page_type(client, resident, territory):
    client.force_login(resident)
    html = client.get(territory["genicart"].url + "new/").text
    assert html.index('name="kind"') < html.index('name="title"') < html.index("data-project-fields")
    group = html.split("data-project-fields")[1].split("</fieldset>\n</fieldset>")[0]
    assert "Détails du projet (seulement pour un projet)" in group
    for name in ProjectPage.fact_fields:
        assert f'name="{name}"' in group
    assert "Où en est le projet" in group and "entre -90 et 90" in group  # the help texts
    assert "data-location-picker" in group and "/static/wiki/location-picker.js" in html
    assert group.index('name="latitude"') < group.index("data-location-picker")  # the inputs come first
    assert html.index("data-project-fields") < html.index('name="body"')


def test_a_project_placed_on_the_map_is_created_with_its_coordinates(client, resident, territory):
    client.force_login(resident)
    response = new_page(client, territory, kind="project", status="idea", latitude="44.8812", longitude="-0.5215")
    assert response.status_code == 302
    project = ProjectPage.objects.get(title="Square")
    assert (str(project.latitude), str(project.longitude)) == ("44.881200", "-0.521500")


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("91", "0", "inférieure ou égale à 90"),
        ("0", "-181", "supérieure ou égale à -180"),
        ("nord", "0", "Saisissez un nombre"),
        ("44.88", "", "la latitude et la longitude, ou aucune des deux"),
    ],
)
def test_coordinates_out_of_bounds_are_refused_in_french(client, resident, territory, latitude, longitude, message):
    client.force_login(resident)
    response = new_page(client, territory, kind="project", status="idea", latitude=latitude, longitude=longitude)
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert message in response.text
    assert f'value="{latitude}"' in response.text  # what was typed stays in the form
    assert not ProjectPage.objects.exists()


def test_an_article_ignores_what_was_typed_in_the_project_group(client, resident, territory):
    client.force_login(resident)
    response = new_page(client, territory, kind="wiki", latitude="999", end_date="pas une date")
    assert response.status_code == 302
    assert WikiPage.objects.filter(title="Square").exists() and not ProjectPage.objects.exists()


def test_the_map_opens_on_the_projects_of_the_commune(client, resident, territory, write_page):
    write_page(territory["carriet"], "Parc", page_type="project", latitude="44.8700", longitude="-0.5200")
    client.force_login(resident)
    html = client.get(territory["genicart"].url + "new/").text
    assert 'data-lat="44.870000' in html and 'data-lon="-0.520000' in html
    html = client.get(territory["palmer"].url + "new/").text  # Cenon has no located project
    assert 'data-lat="46.6"' in html


def test_the_edit_form_of_a_project_has_the_map_too(client, resident, territory, write_page):
    project = write_page(territory["genicart"], "Parc", page_type="project", latitude="44.87", longitude="-0.52")
    client.force_login(resident)
    html = client.get(project.url + "edit/").text
    assert "data-location-picker" in html and 'data-lat="44.870000"' in html
    assert "Détails du projet</legend>" in html  # no "only for a project" on a project's own form
