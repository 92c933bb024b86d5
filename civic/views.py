from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from civic import brand


@require_http_methods(["GET", "POST"])
def switch_language(request):
    """Keep the chosen language in the language cookie and go back to the page.

    Unlike Django's `set_language` it also answers GET, so the switcher needs
    no CSRF token and public pages stay cacheable (civic.pagecache); a
    cross-site link can at worst change the visitor's display language.
    """
    data = request.POST if request.method == "POST" else request.GET
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = data.get("language")
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


# Robots: the public site is open to search engines; sign-in, the admin, members' own pages,
# one-time links and the wiki's action pages (forms, diffs) are not worth crawling.
ROBOTS_DISALLOW = [
    "/admin/",
    "/accounts/",
    "/me/",
    "/workshops-rsvp/",
    "/discussion/",
    "/i18n/",
    "/*/edit/",
    "/*/new/",
    "/*/history/",
    "/*/diff/",
    "/*/changes/",
    "/*/undo/",
    "/*/restore/",
    "/*/rollback/",
    "/*/move/",
    "/*/follow/",
]


@require_http_methods(["GET", "HEAD"])
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_http_methods(["GET", "HEAD"])
def brand_css(request):
    """The brand's colours as CSS custom properties (civic.brand): cached long, its URL carries a version."""
    found = brand.current()
    css = f":root {{ --main: {found.main_colour}; --accent: {found.accent_colour}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == found.version:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=60"
    return response


def page_not_found(request, exception=None):
    """The French (or chosen language's) 404 page, with the site's header and footer."""
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page: a plain template that needs no database (the fault may be there)."""
    return HttpResponseServerError(loader.get_template("500.html").render())
