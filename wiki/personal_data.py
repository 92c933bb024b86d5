"""What the wiki holds about a member, for the export and the erasure (members.personal_data).

Registered from WikiConfig.ready(). Contributions stay: a wiki revision is
never destroyed by a user action, so revisions, pages created and moderation
decisions stay attributed to the anonymised account; follows, which are
nobody else's business, are deleted.
"""

from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, iso, register


def _page(page):
    return {"page": page.title, "page_url": page.url_path}


@register
class Revisions(PersonalData):
    identifier = "revisions"
    verbose_name = _("Wiki revisions")
    covers = ("wagtailcore.Revision.user",)

    def export_data(self, member):
        from wagtail.models import Revision

        revisions = Revision.objects.filter(user=member.user_id).select_related("content_type").order_by("created_at")
        return [
            {
                "id": revision.pk,
                "created_at": iso(revision.created_at),
                "title": revision.object_str,
                "object_type": f"{revision.content_type.app_label}.{revision.content_type.model}",
                "object_id": revision.object_id,
            }
            for revision in revisions
        ]

    def erase(self, member):
        return 0  # contributions stay, credited to the anonymised account


@register
class PagesCreated(PersonalData):
    """Pages the member created (Wagtail's owner) and pages they had locked in the admin.

    Ownership stays with the anonymised account, like revisions; a lock held
    by a departed account could never be released by its holder, so it is.
    """

    identifier = "pages_created"
    verbose_name = _("Pages created")
    covers = ("wagtailcore.Page.owner", "wagtailcore.Page.locked_by")

    def export_data(self, member):
        from wagtail.models import Page

        pages = Page.objects.filter(owner=member.user_id).order_by("first_published_at", "pk")
        return [{**_page(page), "first_published_at": iso(page.first_published_at)} for page in pages]

    def erase(self, member):
        from wagtail.models import Page

        return Page.objects.filter(locked_by=member.user_id).update(locked=False, locked_by=None, locked_at=None)


@register
class FollowedPages(PersonalData):
    identifier = "followed_pages"
    verbose_name = _("Followed pages")
    covers = ("wiki.PageFollow.user",)

    def export_data(self, member):
        from wiki.models import PageFollow

        follows = PageFollow.objects.filter(user=member.user_id).select_related("page").order_by("created_at", "pk")
        return [
            {
                **_page(follow.page),
                "followed_since": iso(follow.created_at),
                "digest_sent_up_to": iso(follow.notified_until),
            }
            for follow in follows
        ]

    def erase(self, member):
        from wiki.models import PageFollow

        # The user row stays (anonymised), so CASCADE would not remove them.
        return PageFollow.objects.filter(user=member.user_id).delete()[0]


@register
class ModerationDecisions(PersonalData):
    """Revisions a moderator patrolled or hid: kept at erasure (the record of a decision), without their name.

    The export lists the decisions (revision, page, when, the reason given),
    not the authors of the revisions concerned.
    """

    identifier = "wiki_moderation"
    verbose_name = _("Wiki moderation decisions")
    covers = ("wiki.RevisionMeta.patrolled_by", "wiki.RevisionMeta.hidden_by")

    def export_data(self, member):
        from django.db.models import Q

        from wiki.models import RevisionMeta

        decisions = (
            RevisionMeta.objects.filter(Q(patrolled_by=member.user_id) | Q(hidden_by=member.user_id))
            .select_related("page")
            .order_by("revision_id")
        )
        return [
            {
                "revision": meta.revision_id,
                **_page(meta.page),
                "patrolled_at": iso(meta.patrolled_at) if meta.patrolled_by_id == member.user_id else None,
                "hidden_at": iso(meta.hidden_at) if meta.hidden_by_id == member.user_id else None,
                "hidden_reason": meta.hidden_reason if meta.hidden_by_id == member.user_id else "",
            }
            for meta in decisions
        ]

    def erase(self, member):
        return 0


@register
class EditorComments(PersonalData):
    """Comments written in the Wagtail editor (staff): kept like revisions, on the anonymised account."""

    identifier = "editor_comments"
    verbose_name = _("Comments in the page editor")
    covers = ("wagtailcore.Comment.user", "wagtailcore.Comment.resolved_by", "wagtailcore.CommentReply.user")

    def export_data(self, member):
        from wagtail.models import Comment, CommentReply

        comments = Comment.objects.filter(user=member.user_id).select_related("page").order_by("created_at", "pk")
        replies = CommentReply.objects.filter(user=member.user_id).select_related("comment__page")
        return [
            *({**_page(c.page), "text": c.text, "created_at": iso(c.created_at)} for c in comments),
            *(
                {**_page(r.comment.page), "text": r.text, "created_at": iso(r.created_at)}
                for r in replies.order_by("created_at", "pk")
            ),
        ]

    def erase(self, member):
        return 0
