from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Questions to the town hall")

    def ready(self):
        from questions import personal_data  # noqa: F401 - registers with members.personal_data
