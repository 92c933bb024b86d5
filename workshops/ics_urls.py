"""Files inside the page tree (`<workshop url>event.ics`, `/workshops/calendar.ics`, the attendees CSV).

Wagtail's own URL pattern only serves paths ending in a slash, so `.ics` and
`.csv` paths are handed to Wagtail's `serve` here; the pages' routes do the rest.
"""

from django.urls import re_path
from wagtail.views import serve

urlpatterns = [
    re_path(r"^((?:[\w\-]+/)+[\w\-]+\.(?:ics|csv))$", serve, name="workshops-page-ics"),
]
