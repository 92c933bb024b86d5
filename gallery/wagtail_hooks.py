from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from gallery.models import Selection


class SelectionViewSet(SnippetViewSet):
    """Staff curate "À la une" for each theme, each commune and the home page (Snippets > À la une)."""

    model = Selection
    icon = "pick"
    menu_label = _("À la une")
    menu_order = 310
    add_to_admin_menu = True


register_snippet(SelectionViewSet)
