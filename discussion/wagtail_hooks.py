from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from discussion import admin_views
from discussion.moderation import can_moderate


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path("moderation/", admin_views.moderation_queue, name="discussion_moderation"),
        path(
            "moderation/<str:kind>/<id:pk>/",
            admin_views.moderation_item,
            name="discussion_moderation_item",
        ),
    ]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(_("Moderation"), reverse("discussion_moderation"), icon_name="warning", order=840)
