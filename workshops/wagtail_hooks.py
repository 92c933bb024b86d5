from django.urls import path
from wagtail import hooks

from workshops import admin_views


@hooks.register("register_admin_urls")
def register_invite_from_report_url():
    # Beside the members' report it serves (members/wagtail_hooks.py), under the same URL and name as before.
    return [path("engaged-residents/invite/", admin_views.invite_from_report, name="members_invite_from_report")]
