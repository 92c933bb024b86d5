"""What the discussion holds about a member, for the export and the erasure (members.personal_data).

Registered from DiscussionConfig.ready(). Comments are contributions to a
public conversation, handled like wiki revisions: at erasure they stay,
credited to the anonymised account (shown as "former member"), so the replies
around them keep their sense. A comment the member had deleted themselves is
no longer public: its text and earlier versions are emptied at erasure.
"""

from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, iso, register


@register
class Comments(PersonalData):
    identifier = "discussion_comments"
    verbose_name = _("Comments in discussions")
    covers = ("discussion.Comment.author",)

    def export_data(self, member):
        from discussion.models import Comment

        comments = (
            Comment.objects.filter(author=member.user_id)
            .select_related("page")
            .prefetch_related("versions")
            .order_by("created_at", "pk")
        )
        return [
            {
                "id": comment.pk,
                "page": comment.page.title,
                "page_url": comment.page.url_path,
                "reply_to": comment.parent_id,
                "text": comment.body,
                "posted_at": iso(comment.created_at),
                "edited_at": iso(comment.edited_at),
                "deleted_at": iso(comment.deleted_at),
                "state": comment.state,
                "posted_as": comment.role,
                "earlier_versions": [
                    {"text": version.body, "written_at": iso(version.written_at)} for version in comment.versions.all()
                ],
            }
            for comment in comments
        ]

    def erase(self, member):
        from discussion.models import Comment, CommentVersion

        deleted = Comment.objects.filter(author=member.user_id, deleted_at__isnull=False)
        CommentVersion.objects.filter(comment__in=deleted).delete()
        return deleted.update(body="")


@register
class Reports(PersonalData):
    """Reports a member filed, about them, or decided: kept at erasure, like the moderation log they belong to.

    The export lists the reports the member filed (reason, details, outcome),
    never the reports others filed about them (as members' Moderation kind).
    Reports filed stay on the anonymised account, their details with them, as
    their REPORT lines in the moderation log do.
    """

    identifier = "discussion_reports"
    verbose_name = _("Reports to the moderators")
    covers = ("discussion.Report.reporter", "discussion.Report.member", "discussion.Report.decided_by")

    def export_data(self, member):
        from discussion.models import Report

        reports = Report.objects.filter(reporter=member.user_id).order_by("created_at", "pk")
        return [
            {
                "item": report.target,
                "reason": report.reason,
                "details": report.details,
                "reported_at": iso(report.created_at),
                "state": report.state,
            }
            for report in reports
        ]

    def erase(self, member):
        return 0
