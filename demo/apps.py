from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo territory and its loader (`manage.py load_demo`); no models.

    It sits above every other app: it may import them all, none imports it.
    """

    name = "demo"
    verbose_name = _("Demo territory")
