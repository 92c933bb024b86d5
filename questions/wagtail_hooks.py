"""Staff keep the list of services in the Wagtail admin (Questions > Services); the queues are linked from there."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from questions import permissions
from questions.models import Service


class StaffOnlyPolicy(ModelPermissionPolicy):
    """Staff (members.access.is_staff_member) do everything with services; nobody else anything."""

    def user_has_permission(self, user, action):
        return permissions.can_manage_services(user)

    def user_has_any_permission(self, user, actions):
        return permissions.can_manage_services(user)

    def users_with_any_permission(self, actions):
        from members.access import staff_q, users

        return users(staff_q())


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "group"
    menu_label = _("Services")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "contact_email", "target_days", "validation_required"]
    search_fields = ["name"]


register_permission_policy(Service, StaffOnlyPolicy(Service))
register_snippet(ServiceViewSet)


class _QueueItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_qualify(request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return _QueueItem(_("Questions to qualify"), reverse("questions:queue"), icon_name="help", order=320)
