"""Absolute links to the public site, for what leaves it: emails, calendar files, the demo's console.

One setting says where the site is: SITE_URL (civic.env.site_url_from_env: the SITE_URL
variable, else the development server's http://127.0.0.1:$PORT, so `make demo PORT=8101`
prints and emails links on port 8101). Wagtail's admin uses the same (WAGTAILADMIN_BASE_URL).
"""

from django.conf import settings


def absolute_url(url=""):
    """`url` (a path, or already absolute) as an absolute URL on the public site."""
    if not url:
        return settings.SITE_URL + "/"
    return settings.SITE_URL + url if url.startswith("/") else url
