from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civic.views import brand_css, robots_txt, switch_language

handler404 = "civic.views.page_not_found"
handler500 = "civic.views.server_error"

urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path("brand.css", brand_css, name="brand-css"),
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.png", permanent=True)),
    # One sign-in page, with its limits (members.adapter): Wagtail's own would let passwords be guessed freely.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("me/", include("members.urls")),
    path("leaderboard/", include("members.leaderboard_urls")),
    path("workshops-rsvp/", include("workshops.urls")),
    path("discussion/", include("discussion.urls")),
    path("questions/", include("questions.urls")),
    path("photos/", include("gallery.urls")),
    path("", include("workshops.ics_urls")),
    path("", include("wiki.urls")),
]

if settings.BENCHMARK:
    from civic.benchmark import baseline, baseline_signed_in

    urlpatterns.insert(0, path("_baseline/", baseline))
    urlpatterns.insert(0, path("_baseline/signed-in/", baseline_signed_in))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other URL from the territory's page tree.
urlpatterns.append(path("", include(wagtail_urls)))
