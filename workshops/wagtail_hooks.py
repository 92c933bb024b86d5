from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from workshops import admin_views
from workshops.permissions import can_manage


@hooks.register("register_admin_urls")
def register_invite_from_report_url():
    # Beside the members' report it serves (members/wagtail_hooks.py), under the same URL and name as before.
    return [path("engaged-residents/invite/", admin_views.invite_from_report, name="members_invite_from_report")]


@hooks.register("register_admin_urls")
def register_workshops_list_url():
    return [path("workshops/", admin_views.workshops_list, name="workshops_admin_list")]


class WorkshopsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage(request.user)


@hooks.register("register_admin_menu_item")
def register_workshops_menu_item():
    """Admin › Workshops (staff and moderators): the list of workshops with their check-in and management."""
    return WorkshopsMenuItem(_("Workshops"), reverse("workshops_admin_list"), icon_name="date", order=850)
