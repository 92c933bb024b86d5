from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Discussion")

    def ready(self):
        from discussion import personal_data  # noqa: F401 - registers with members.personal_data
        from discussion.follows import CommentSource
        from discussion.moderation import reverse_hiding, uphold_member_reports
        from members.moderation import register_after_sanction, register_reversal
        from wiki import follows

        # wiki sits below discussion: the digest asks for comments through this source.
        follows.register_source(CommentSource())
        # An appeal granted (members) restores a hidden comment, page version or photo through this function.
        register_reversal("discussion.comment", reverse_hiding)
        register_reversal("wagtailcore.revision", reverse_hiding)
        register_reversal("gallery.photo", reverse_hiding)
        # A warning, mute or block upholds the open reports about that member.
        register_after_sanction(uphold_member_reports)
