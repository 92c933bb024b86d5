"""The Follow / Unfollow button of wiki pages and projects (wiki.follows)."""

from django import template

from wiki import follows, permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, page):
    """{"signed_in", "can_follow", "following"} for the current user and `page` (at most two small queries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "signed_in": signed_in,
        "can_follow": signed_in and permissions.can_follow(user, page),
        "following": signed_in and follows.is_following(user, page),
    }
