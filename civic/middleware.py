import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.middleware import csp
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP

logger = logging.getLogger("django.request")


class CookieLocaleMiddleware:
    """French for everyone unless they chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language; a French
    public service speaks French by default and lets people switch (the choice
    is kept in the language cookie set by Django's `set_language` view).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's CSP, with the looser ADMIN_CSP under the Wagtail admin.

    Elsewhere `frame-src` lists exactly the origins the registered apps name
    for this request (the video providers staff allow, gallery.videos), and
    'none' when there is none. An error page frames nothing and must not need
    the database (it may be the error): it gets 'none' without asking.
    """

    def process_response(self, request, response):
        if request.path.startswith("/admin/"):
            if not hasattr(response, "_csp_config"):
                response._csp_config = settings.ADMIN_CSP
        elif not hasattr(response, "_csp_config") and "text/html" in response.get("Content-Type", ""):
            origins = []
            if response.status_code < 500:
                origins = sorted({origin for source in _frame_sources for origin in source(request)})
            response._csp_config = {**settings.SECURE_CSP, "frame-src": origins or [CSP.NONE]}
        return super().process_response(request, response)


class FriendlyErrorPagesMiddleware:
    """Under DEBUG (the demo), show the site's own 404 and 500 pages rather than Django's technical ones.

    Only installed when DEBUG is on and DEBUG_TECHNICAL_ERRORS is not (civic.settings): the
    traceback of an error still goes to the console. Production uses handler404/handler500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from civic import views

        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, (PermissionDenied, SuspiciousOperation)):
            return None  # Django's 403 and 400 answers are not debug pages
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return views.server_error(request)


_frame_sources = []


def register_frame_sources(function):
    """An app above civic names the origins pages may frame: function(request) -> list of origins."""
    if function not in _frame_sources:
        _frame_sources.append(function)
