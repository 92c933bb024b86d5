"""Whole-page cache for anonymous visitors.

Most traffic of a civic wiki is the public reading pages, and a page is the
same for every anonymous visitor in one language. Those responses are kept in
Django's cache for `PAGE_CACHE_SECONDS` (60 by default, 0 switches it off),
keyed by language cookie, host and full path, plus a generation number that
any change of content bumps (`invalidate`, wired to model saves and deletes of
the content apps in civic.apps). With a shared cache (CACHE_URL=redis://...)
a change shows at once on every app server; with the per-process default
cache another worker may serve the previous version until it expires, so
`PAGE_CACHE_SECONDS` bounds how stale an anonymous page can be. Signed-in
members always get live pages.

Only safe responses are kept: GET, status 200, HTML/Atom/iCalendar, no cookie
set (so no CSRF token or session in it), no CSP nonce, nothing marked private.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.regex_helper import _lazy_re_compile

from civic import generation as generations

cc_delim_re = _lazy_re_compile(r"\s*,\s*")

GENERATION_KEY = "pagecache:generation"
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/rss+xml", "text/calendar")
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 60)


def generation():
    return generations.current(GENERATION_KEY)


def invalidate(**_signal_kwargs):
    """Forget every cached page (called on any change of content)."""
    generations.bump(GENERATION_KEY)


def _cacheable_request(request):
    if request.method != "GET" or cache_seconds() <= 0:
        return False
    cookies = request.COOKIES
    # A session may hold a signed-in user or pending messages: never share what it renders.
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(CACHEABLE_TYPES):
        return False
    directives = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if directives & UNCACHEABLE_DIRECTIVES:
        return False
    policy = response.get("Content-Security-Policy", "")
    return "'nonce-" not in policy


def _key(request):
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")[:10]
    return f"pagecache:{generation()}:{language}:{request.get_host()}:{request.get_full_path()}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            response["X-Page-Cache"] = "miss"
            cache.set(key, response, cache_seconds())
        return response
