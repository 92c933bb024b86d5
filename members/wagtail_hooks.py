from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from members import admin_mail, admin_moderation, admin_views  # noqa: F401 - admin_mail registers the failed-emails viewset
from members.access import can_view_engagement_report, is_moderator
from members.admin_blocks import BlockPermissionPolicy, BlockViewSet
from members.models import Block, ModerationDecision


@hooks.register("register_admin_urls")
def register_engagement_report_url():
    return [
        path("engaged-residents/", admin_views.engaged_residents, name="members_engaged_residents"),
        path("engaged-residents/<id:member_id>/", admin_views.member_detail, name="members_member_detail"),
        path("members/<id:member_id>/sanction/", admin_moderation.sanction, name="members_sanction"),
        path("appeals/", admin_moderation.appeals, name="members_appeals"),
        path("appeals/<id:appeal_id>/", admin_moderation.appeal_review, name="members_appeal_review"),
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
register_permission_policy(ModerationDecision, admin_moderation.ModerationLogPermissionPolicy(ModerationDecision))


@hooks.register("register_admin_viewset")
def register_block_viewset():
    return BlockViewSet()


class AppealsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def register_appeals_menu_item():
    return AppealsMenuItem(_("Appeals"), reverse("members_appeals"), icon_name="help", order=916)


@hooks.register("register_admin_viewset")
def register_moderation_log_viewset():
    return admin_moderation.ModerationLogViewSet()
