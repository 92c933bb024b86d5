from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self):
        from members import report
        from workshops import personal_data, signals  # noqa: F401 - registers the kinds, connects the receivers
        from workshops.admin_views import invite_from_report_context

        # members sits below workshops: its report shows the invitation form through this registration.
        report.register_action(invite_from_report_context)
        # wiki sits below workshops: its search finds workshops through this registration.
        from wiki import search
        from workshops.models import WorkshopPage

        search.register(WorkshopPage)
