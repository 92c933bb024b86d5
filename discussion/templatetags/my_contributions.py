"""`{% my_pages_of user as pages %}`, `{% my_comments_of user as comments %}`: "My pages and comments" on /me/.

templates/members/_my_contributions.html loads them (a template is not an import: members stays
below wiki and discussion). Only what the member may see (members.visibility), a bounded number.
"""

from django import template
from django.db.models import Case, IntegerField, Max, When
from wagtail.models import Page

from discussion.models import Comment
from members import visibility
from wiki.models import RevisionMeta

register = template.Library()

PAGES_LIMIT = 10
CREATED = Case(When(is_new_page=True, then=1), default=0, output_field=IntegerField())  # Max() of a boolean
COMMENTS_LIMIT = 10


@register.simple_tag
def my_pages_of(user):
    """The live pages `user` created or edited, the last edited first (2 queries).

    Each page carries `my_last_edit` (a datetime) and `created` (did `user` create it?).
    """
    edits = (
        visibility.visible(RevisionMeta.objects.filter(revision__user=user, page__live=True), user, page_field="page")
        .values("page_id")
        .annotate(last_edit=Max("revision__created_at"), created=Max(CREATED))
        .order_by("-last_edit", "-page_id")[:PAGES_LIMIT]
    )
    edits = list(edits)
    pages = Page.objects.in_bulk([row["page_id"] for row in edits])
    mine = []
    for row in edits:
        page = pages.get(row["page_id"])
        if page is not None:
            page.my_last_edit = row["last_edit"]
            page.created = bool(row["created"])
            mine.append(page)
    return mine


@register.simple_tag
def my_comments_of(user):
    """The latest comments `user` wrote and did not delete, on pages they may see (one query)."""
    comments = Comment.objects.filter(author=user, deleted_at__isnull=True, page__live=True)
    return list(
        visibility.visible(comments, user, page_field="page")
        .select_related("page")
        .order_by("-created_at", "-pk")[:COMMENTS_LIMIT]
    )
