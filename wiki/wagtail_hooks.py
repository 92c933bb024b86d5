from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from wiki import moderation_views
from wiki.models import Theme
from wiki.permissions import can_patrol


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(ThemeViewSet)


# Moderation: the patrol queue, and hiding a revision from the public history.


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path("patrol/", moderation_views.patrol_queue, name="wiki_patrol"),
        path("patrol/action/", moderation_views.patrol_action, name="wiki_patrol_action"),
        path(
            "patrol/pages/<id:page_id>/hide/<id:revision_id>/",
            moderation_views.hide_revision,
            name="wiki_hide_revision",
        ),
    ]


class PatrolMenuItem(MenuItem):
    def is_shown(self, request):
        return can_patrol(request.user)


@hooks.register("register_admin_menu_item")
def register_patrol_menu_item():
    return PatrolMenuItem(_("Patrol"), reverse("wiki_patrol"), icon_name="view", order=850)
