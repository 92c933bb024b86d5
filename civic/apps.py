from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import register_converter

from civic.params import IdConverter

# `<id:pk>` in every URL pattern: a number no primary key can be is a 404, not a 500.
# Registered when the app configs load, before any models module: the RoutablePage
# routes of wiki.models use it as they are defined.
register_converter(IdConverter, "id")

# Apps whose data the public pages show: a change there bumps the page cache.
CONTENT_APPS = {"wiki", "discussion", "workshops", "members", "wagtailcore", "wagtailredirects", "wagtailimages"}

# The brand (civic.brand) shows on every page: a change of these forgets it, and the cached pages.
BRAND_MODELS = {
    ("civic", "brandsettings"),
    ("civic", "footerlink"),
    ("civic", "informationpage"),
    ("wagtailimages", "image"),  # the logo
}


class CivicConfig(AppConfig):
    name = "civic"
    verbose_name = "Quartiers"

    def ready(self):
        from civic import brand, pagecache

        def content_changed(sender, **kwargs):
            is_brand = (sender._meta.app_label, sender._meta.model_name) in BRAND_MODELS
            if is_brand:
                brand.invalidate()
            if is_brand or sender._meta.app_label in CONTENT_APPS:
                pagecache.invalidate()

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, weak=False, dispatch_uid=f"civic-pagecache-{id(signal)}")

        from django.db.backends.signals import connection_created

        from civic.collation import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="civic-collation-sqlite")

        from django.test.signals import setting_changed

        from civic import typography

        # Every French message (ours, Django's, Wagtail's, allauth's) with French spacing.
        typography.install()
        setting_changed.connect(typography.install, dispatch_uid="civic-typography")

        from wagtail.models import Page

        from civic.mail import validate_one_line

        # Every page type (wiki, workshops) shares Page.title: a title becomes an
        # email subject, so a line break or control character is refused on save.
        title = Page._meta.get_field("title")
        if validate_one_line not in title.validators:
            title.validators.append(validate_one_line)
