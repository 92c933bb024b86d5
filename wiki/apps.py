from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = _("Territorial wiki")

    def ready(self):
        from wiki import personal_data  # noqa: F401 - registers with members.personal_data
