"""Comments in the follow digest (wiki.follows): members who follow a page read the comments others wrote there.

Taking part in a discussion makes a member follow its page (services.post_comment
calls `follow_discussion`); the digest lists the comments of others since the
last email, never the member's own, never deleted, held or hidden ones.
"""

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from discussion.models import Comment
from wiki.follows import Happening
from wiki.models import PageFollow


def follow_discussion(user, page):
    """`user` follows `page` (its changes and its discussion), once; inside the caller's transaction."""
    try:
        with transaction.atomic():  # a savepoint: the same member posting from two tabs at once
            PageFollow.objects.get_or_create(user=user, page_id=page.pk)
    except IntegrityError:
        pass


class CommentSource:
    """The digest source of the discussion app (registered in DiscussionConfig.ready)."""

    def others_since(self, now):
        return Exists(
            Comment.objects.counted()
            .filter(page_id=OuterRef("page_id"), created_at__gt=OuterRef("since"), created_at__lte=now)
            .exclude(author_id=OuterRef("user_id"))
        )

    def happenings(self, earliest, until):
        if not earliest:
            return {}
        condition = Q()
        for page_id, since in earliest.items():
            condition |= Q(page_id=page_id, created_at__gt=since)
        comments = (
            Comment.objects.counted()
            .filter(condition, created_at__lte=until)
            .select_related("author__member")
            .defer("body")
            .order_by("created_at", "pk")
        )
        by_page = {}
        for comment in comments:
            member = getattr(comment.author, "member", None)
            name = member.pseudonym if member is not None else _("an unknown member")
            by_page.setdefault(comment.page_id, []).append(Happening(comment.created_at, comment.author_id, name))
        return by_page

    def url(self, page):
        return reverse("discussion:page", args=[page.pk])
