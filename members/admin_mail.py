"""Failed emails (civic.models.MailFailure) in the admin, for staff.

civic sits below members (import-linter), so members registers the viewset.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from civic.models import MailFailure
from members.access import is_staff_member, staff_q, users


class MailFailurePermissionPolicy(BasePermissionPolicy):
    """Staff read failed emails and clear them once dealt with; nobody writes one by hand."""

    ACTIONS = ("view", "delete")

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and user.is_authenticated and is_staff_member(user)

    def users_with_any_permission(self, actions):
        if not set(actions) & set(self.ACTIONS):
            return users(staff_q()).none()
        return users(staff_q())


class MailFailureViewSet(ModelViewSet):
    model = MailFailure
    icon = "warning"
    menu_label = _("Failed emails")
    menu_order = 920
    add_to_admin_menu = True
    name = "failed_emails"
    url_prefix = "failed-emails"
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["kind"]  # never shown: nobody may add or change a failure
    list_filter = ["kind"]
    search_fields = None
    list_display = [DateColumn("created_at", label=_("when")), "kind", "recipients", "subject", "error"]
    inspect_view_fields = ["created_at", "kind", "recipients", "subject", "error"]


register_permission_policy(MailFailure, MailFailurePermissionPolicy(MailFailure))


@hooks.register("register_admin_viewset")
def register_mail_failure_viewset():
    return MailFailureViewSet()
