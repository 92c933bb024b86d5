from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from members import admin_mail, admin_views  # noqa: F401 - admin_mail registers the failed-emails viewset
from members.access import can_view_engagement_report
from members.admin_blocks import BlockPermissionPolicy, BlockViewSet
from members.models import Block


@hooks.register("register_admin_urls")
def register_engagement_report_url():
    return [
        path("engaged-residents/", admin_views.engaged_residents, name="members_engaged_residents"),
        path("engaged-residents/<id:member_id>/", admin_views.member_detail, name="members_member_detail"),
    ]


class EngagementReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_engagement_report(request.user)


@hooks.register("register_admin_menu_item")
def register_engagement_report_menu_item():
    return EngagementReportMenuItem(
        _("Most engaged residents"), reverse("members_engaged_residents"), icon_name="group", order=900
    )


register_permission_policy(Block, BlockPermissionPolicy(Block))


@hooks.register("register_admin_viewset")
def register_block_viewset():
    return BlockViewSet()
