from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = _("Territorial wiki")

    def ready(self):
        from members import themes
        from wiki import personal_data  # noqa: F401 - registers with members.personal_data
        from wiki.themes import ThemeProvider

        # members sits below wiki: the leaderboard's theme filter asks the wiki through this provider.
        themes.register_provider(ThemeProvider())
