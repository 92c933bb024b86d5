import pytest
from django.conf import settings


@pytest.mark.django_db
def test_french_by_default_even_for_an_english_browser(client, territory):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "fr"
    assert 'lang="fr"' in response.text
    assert "Aller au contenu principal" in response.text


@pytest.mark.django_db
def test_the_language_switcher_keeps_english(client, territory):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/lormont/"})
    assert response.status_code == 302
    assert response.url == "/lormont/"
    page = client.get("/lormont/")
    assert page["Content-Language"] == "en"
    assert "Skip to main content" in page.text
    assert "Cookie" in page["Vary"]


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_french(client, territory):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Content-Language"] == "fr"


@pytest.mark.django_db
def test_public_pages_forbid_inline_scripts(client, territory):
    policy = client.get("/")["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_wagtail_admin_gets_its_own_policy(client, staff):
    client.force_login(staff)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy
