"""Template tags of the discussion: `{% discussion_block page %}` puts a page's discussion below it.

The wiki and workshop templates load this library: a template is not an import,
so the apps' import layers (pyproject.toml) hold: discussion imports wiki, never
workshops, and neither wiki nor workshops imports discussion.
"""

from django import template

from discussion import listing, services
from discussion.forms import CommentForm
from wiki import markup

register = template.Library()


@register.filter
def comment_html(body):
    """A comment's Markdown as safe HTML: the wiki's renderer and sanitiser (no wiki links resolved)."""
    return markup.render(body)


@register.simple_tag(takes_context=True)
def comment_actions(context, comment):
    """{reply, edit, delete, report}: what the visitor may do with `comment` (links shown)."""
    user = context["request"].user
    # why_not: why the visitor may not comment on this page, computed once for the whole discussion.
    return {
        "reply": services.can_reply_to(comment) and not context.get("why_not"),
        "edit": services.can_edit(user, comment),
        "delete": services.can_delete(user, comment),
        # Signed in, not their own, still shown: the report form says the rest (already reported...).
        "report": user.is_authenticated and comment.author_id != user.pk and not comment.is_deleted,
    }


@register.inclusion_tag("discussion/_block.html", takes_context=True)
def discussion_block(context, page):
    """The count, the latest conversations and the form, below `page` (nothing when it has no discussion)."""
    request = context["request"]
    user = request.user
    # Wagtail serves this page to this visitor, so they passed its view restrictions already.
    if not services.is_open(page):
        return {"hidden": True}
    conversations, more = listing.latest_conversations(page, user)
    return {
        "request": request,
        "page": page,
        "conversations": conversations,
        "more": more,
        "comment_count": listing.comment_count(page),
        "form": CommentForm(user=user),
        "why_not": services.why_cannot_comment(user, page),
        "moderator": services.can_read_versions(user),
        "csrf_token": context.get("csrf_token"),
    }
