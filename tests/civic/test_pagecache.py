import pytest
from django.conf import settings

from wiki import services


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_anonymous_pages_are_served_from_the_cache(client, territory, page_cache, django_assert_num_queries):
    first = client.get("/lormont/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/lormont/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert not second.cookies


@pytest.mark.django_db
def test_a_change_of_content_shows_at_once(client, territory, resident, page_cache):
    lormont = territory["lormont"]
    client.get("/lormont/")
    services.create_page(resident, lormont, "Le marché du dimanche", "Tous les dimanches.")
    response = client.get("/lormont/")
    assert response["X-Page-Cache"] == "miss"
    assert "Le marché du dimanche" in response.text


@pytest.mark.django_db
def test_each_language_has_its_own_copy(client, territory, page_cache):
    assert client.get("/")["Content-Language"] == "fr"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Skip to main content" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["resident", "moderator", "staff"])
def test_signed_in_members_always_get_live_pages(client, territory, role, request, page_cache):
    client.force_login(request.getfixturevalue(role))
    client.get("/lormont/")
    response = client.get("/lormont/")
    assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_pages_that_set_a_cookie_are_never_cached(client, territory, page_cache):
    client.get("/accounts/login/")
    client.cookies.clear()
    response = client.get("/accounts/login/")
    assert "X-Page-Cache" not in response
    assert "csrftoken" in response.cookies


@pytest.mark.django_db
def test_query_strings_are_part_of_the_key(client, territory, page_cache):
    client.get("/search/?q=Lormont")
    response = client.get("/search/?q=Cenon")
    assert response["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=Cenon")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_switched_off_with_zero_seconds(client, territory, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


@pytest.mark.django_db
def test_the_language_switcher_answers_get_without_a_token(client, territory):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "/lormont/"})
    assert response.status_code == 302 and response.url == "/lormont/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "csrfmiddlewaretoken" not in client.get("/").text


@pytest.mark.django_db
def test_the_language_switcher_refuses_foreign_redirects_and_unknown_languages(client, territory):
    response = client.get("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.url == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
