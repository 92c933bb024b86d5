"""The collectivité's brand (civic.brand, BrandSettings), its legal pages, the header menu and the error pages."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from wagtail.models import Site

from civic import brand
from civic.middleware import FriendlyErrorPagesMiddleware
from civic.models import BrandSettings, FooterLink, InformationPage
from tests.conftest import add_page
from wiki import services

pytestmark = pytest.mark.django_db


# -- contrast -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#ffffff", "#000000", 21.0),  # symmetric
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#777777", "#ffffff", 4.48),  # one step lighter: fails
        ("#0b5394", "#ffffff", 7.84),
        ("#ff0000", "#ffffff", 4.0),
        ("#FFFF00", "#000000", 19.56),  # upper case digits
    ],
)
def test_contrast_ratio_follows_wcag(first, second, ratio):
    assert brand.contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour", ["#767676", "#083a68", "#0E4F4A", "#000000"])
def test_dark_enough_colours_are_accepted(colour):
    brand.validate_colour(colour)


@pytest.mark.parametrize("colour", ["#777777", "#ffcc00", "#ffffff", "#ff0000"])
def test_colours_under_white_text_below_aa_are_refused_in_french(colour):
    with pytest.raises(ValidationError) as raised:
        brand.validate_colour(colour)
    message = raised.value.messages[0]
    assert raised.value.error_list[0].code == "contrast"
    assert "contraste" in message and "4,5" in message and "WCAG AA" in message


@pytest.mark.parametrize("colour", ["", "red", "#fff", "#12345g", "#0b5394; }", "0b5394"])
def test_malformed_colours_are_refused_with_a_clear_message(colour):
    with pytest.raises(ValidationError) as raised:
        brand.validate_colour(colour)
    assert raised.value.error_list[0].code == "format"
    assert "#" in raised.value.messages[0]


def test_brand_settings_refuse_a_light_accent_colour(territory):
    settings = BrandSettings.for_site(Site.objects.get(is_default_site=True))
    settings.accent_colour = "#7fb3d5"
    with pytest.raises(ValidationError) as raised:
        settings.full_clean()
    assert set(raised.value.message_dict) == {"accent_colour"}


def test_footer_links_accept_paths_and_web_addresses_only(territory):
    settings = BrandSettings.for_site(Site.objects.get(is_default_site=True))
    FooterLink(settings=settings, label="Métropole", url="https://www.bordeaux-metropole.fr/").full_clean()
    FooterLink(settings=settings, label="Classement", url="/leaderboard/").full_clean()
    for url in ["javascript:alert(1)", "//evil.example/", "ftp://example.fr/"]:
        with pytest.raises(ValidationError):
            FooterLink(settings=settings, label="x", url=url).full_clean()


def test_brand_settings_edit_view_refuses_low_contrast_in_the_admin(client, staff, territory, django_user_model):
    admin = django_user_model.objects.create_superuser("root@example.fr", "root@example.fr", "pw-root-12345")
    client.force_login(admin)
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["civic", "brandsettings", site.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "site_name": "Ville de Lormont",
        "main_colour": "#ffcc00",
        "accent_colour": "#0b5394",
        "contact_email": "",
        "accessibility_status": "partial",
        "footer_links-TOTAL_FORMS": "0",
        "footer_links-INITIAL_FORMS": "0",
        "footer_links-MIN_NUM_FORMS": "0",
        "footer_links-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "contraste" in response.content.decode()
    assert BrandSettings.for_site(site).main_colour == brand.DEFAULT_MAIN_COLOUR

    response = client.post(url, {**data, "main_colour": "#0e4f4a"})
    assert response.status_code == 302
    assert BrandSettings.for_site(site).site_name == "Ville de Lormont"


# -- the brand on the pages ---------------------------------------------------------------------------------


@pytest.fixture
def branded(territory):
    """The Rive droite's brand with its four legal pages, as the demo sets them."""
    home = territory["home"]
    pages = {
        field: add_page(home, InformationPage(title=title, slug=slug, body=f"<p>{title}</p>"))
        for field, title, slug in [
            ("legal_notice_page", "Mentions légales", "mentions-legales"),
            ("personal_data_page", "Données personnelles et cookies", "donnees-personnelles"),
            ("accessibility_page", "Déclaration d’accessibilité", "accessibilite"),
            ("contact_page", "Contact", "contact"),
        ]
    }
    settings = BrandSettings.for_site(Site.objects.get(is_default_site=True))
    settings.site_name = "Quartiers Rive droite"
    settings.main_colour = "#0e4f4a"
    settings.accent_colour = "#005f73"
    settings.contact_email = "contact@rive-droite.example.fr"
    settings.accessibility_status = "partial"
    for field, page in pages.items():
        setattr(settings, field, page)
    settings.save()
    FooterLink.objects.create(settings=settings, label="Bordeaux Métropole", url="https://www.bordeaux-metropole.fr/")
    return pages


LEGAL_LINKS = {
    "Mentions légales": "/mentions-legales/",
    "Données personnelles et cookies": "/donnees-personnelles/",
    "Accessibilité\xa0: partiellement conforme": "/accessibilite/",
    "Contact": "/contact/",
}


def footer_of(response):
    html = response.content.decode()
    return html[html.index('<footer class="site-footer">') :]


def page_urls(territory, resident, make_workshop, branded):
    wiki_page = services.create_page(resident, territory["lormont"], "Marché du dimanche", "Le marché.", "")
    project = services.create_page(
        resident, territory["lormont"], "Parc des Coteaux", "Un parc.", "", page_type="project", facts={}
    )
    workshop = make_workshop()
    return [
        "/",
        territory["lormont"].url,
        territory["genicart"].url,
        wiki_page.url,
        project.url,
        f"{wiki_page.url}history/",
        workshop.get_parent().url,
        workshop.url,
        branded["legal_notice_page"].url,
        "/recent-changes/",
        "/search/?q=parc",
        "/projects/",
        "/themes/",
        "/leaderboard/",
        "/accounts/login/",
        "/accounts/signup/",
        "/this-page-does-not-exist/",
    ]


def test_every_page_type_has_the_legal_links_and_the_brand(client, territory, resident, make_workshop, branded):
    for url in page_urls(territory, resident, make_workshop, branded):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        footer = footer_of(response)
        for label, href in LEGAL_LINKS.items():
            assert f'<a href="{href}">{label}</a>' in footer, (url, label)
        assert '<a href="https://www.bordeaux-metropole.fr/">Bordeaux Métropole</a>' in footer
        assert "mailto:contact@rive-droite.example.fr" in footer
        html = response.content.decode()
        assert "· Quartiers Rive droite</title>" in html, url
        assert re.search(r'<link rel="stylesheet" href="/brand.css\?v=[0-9a-f]{10}">', html), url


def test_signed_in_pages_have_the_legal_links(client, resident, territory, branded):
    client.force_login(resident)
    for url in ["/me/", "/", "/me/follows/"]:
        footer = footer_of(client.get(url))
        assert all(href in footer for href in LEGAL_LINKS.values()), url


def test_legal_page_shows_its_text_and_date(client, branded):
    page = branded["accessibility_page"]
    page.body = "<h2>Voies de recours</h2><p>Défenseur des droits</p>"
    page.updated_on = "2026-09-01"
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "<h1>Déclaration d’accessibilité</h1>" in html
    assert "Défenseur des droits" in html
    assert "1 septembre 2026" in html or "1er septembre 2026" in html


def test_unpublished_legal_page_leaves_the_footer(client, branded):
    branded["contact_page"].unpublish()
    footer = footer_of(client.get("/"))
    assert "/contact/" not in footer
    assert "/mentions-legales/" in footer


def test_without_settings_the_footer_has_no_legal_links_and_the_default_name(client, territory):
    response = client.get("/")
    html = response.content.decode()
    assert "· Quartiers</title>" in html
    assert "/brand.css" not in html  # the default colours are in site.css already


def test_brand_css_carries_the_colours_with_a_long_cache_when_versioned(client, branded):
    found = brand.current()
    response = client.get(f"/brand.css?v={found.version}")
    assert response["Content-Type"].startswith("text/css")
    assert response.content.decode() == ":root { --main: #0e4f4a; --accent: #005f73; }\n"
    assert "immutable" in response["Cache-Control"]
    assert "immutable" not in client.get("/brand.css?v=old")["Cache-Control"]


def test_changing_the_brand_shows_at_once(client, branded):
    assert "Quartiers Rive droite" in client.get("/").content.decode()
    settings = BrandSettings.for_site(Site.objects.get(is_default_site=True))
    settings.site_name = "Ville de Cenon"
    settings.save()
    assert "· Ville de Cenon</title>" in client.get("/").content.decode()


def test_the_brand_costs_no_query_once_cached(client, branded, django_assert_num_queries):
    client.get("/")
    brand.current()
    with django_assert_num_queries(0):
        brand.current()


# -- header and menu ----------------------------------------------------------------------------------------


def test_header_menu_is_a_disclosure_holding_the_navigation(client, territory):
    html = client.get("/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert '<details class="site-menu" id="site-menu">' in header
    assert re.search(r"<summary class=\"menu-button\">.*Menu</summary>", header)
    menu = header[header.index("<details") :]
    assert 'aria-label="Menu principal"' in menu
    assert 'href="/accounts/login/"' in menu and 'href="/accounts/signup/"' in menu
    assert "language-select" not in header  # the language choice is in the footer
    assert 'id="language-select"' in footer_of(client.get("/"))
    assert '<script src="/static/js/site-menu.js" defer></script>' in html


@pytest.mark.parametrize("role", ["resident", "moderator", "staff"])
def test_signed_in_menu_holds_profile_and_sign_out(client, territory, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    html = client.get("/").content.decode()
    menu = html[html.index("<details") : html.index("</details>")]
    assert 'href="/me/"' in menu
    assert "Se déconnecter" in menu
    assert ('href="/admin/"' in menu) == (role != "resident")


# -- robots.txt, favicon, error pages ----------------------------------------------------------------------


def test_robots_txt_allows_the_public_site_and_keeps_crawlers_out_of_private_urls(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for url in ["/admin/", "/accounts/", "/me/", "/workshops-rsvp/", "/*/edit/", "/*/history/"]:
        assert f"Disallow: {url}" in lines
    assert "Disallow: /" not in lines


def test_favicon_is_linked_and_served(client, territory):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.png"
    for name in ["favicon.png", "favicon.svg", "apple-touch-icon.png"]:
        served = client.get(f"/static/{name}")
        assert served.status_code == 200, name
        body = b"".join(served.streaming_content)
        assert body.startswith(b"\x89PNG") or body.startswith(b"<svg")


def test_404_is_in_french_with_the_site_around_it(client, territory):
    response = client.get("/rien-ici/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert '<html lang="fr">' in html
    assert '<footer class="site-footer">' in html and '<details class="site-menu"' in html


def test_404_in_english_when_chosen(client, territory):
    client.cookies["django_language"] = "en"
    assert "<h1>Page not found</h1>" in client.get("/nothing-here/").content.decode()


def boom(request):
    raise RuntimeError("boom")


# This module is also the URLconf of the 500 test: one view that fails, the site's handler500.
urlpatterns = [path("boom/", boom)]
handler500 = "civic.views.server_error"


@pytest.mark.urls("tests.civic.test_brand")
def test_500_is_in_french_and_needs_no_database(django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Une erreur est survenue" in html
    assert "/static/css/site.css" in html


@override_settings(DEBUG=True)
def test_debug_runs_show_the_french_404_and_500(territory):
    request = RequestFactory().get("/nowhere/")
    request.user = None
    request.COOKIES = {}
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    request.user = AnonymousUser()
    middleware = FriendlyErrorPagesMiddleware(lambda request: None)
    response = middleware.process_exception(request, Http404("nope"))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    response = middleware.process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
