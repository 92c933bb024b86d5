from django import template
from django.utils.translation import gettext as _

from wiki import permissions
from wiki.models import RevisionMeta

register = template.Library()


@register.filter
def can_access_admin(user):
    """{% if user|can_access_admin %}: the link to the Wagtail admin, without the two queries of `perms`."""
    return permissions.can_access_admin(user)


@register.filter
def signed(number):
    """+12, −3 (a real minus sign), 0."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return ""
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"\u2212{-number}"
    return "0"


@register.simple_tag
def revision_action(meta):
    """What a revision did, in words: "Page created", "Undid version #12"..."""
    if meta is None:
        return ""
    target = meta.reverts_id
    labels = {
        RevisionMeta.Action.CREATE: _("Page created"),
        RevisionMeta.Action.UNDO: _("Undid version #%(id)s") % {"id": target},
        RevisionMeta.Action.RESTORE: _("Restored version #%(id)s") % {"id": target},
        RevisionMeta.Action.ROLLBACK: _("Rolled back to version #%(id)s") % {"id": target},
        RevisionMeta.Action.MOVE: _("Renamed or moved"),
    }
    return labels.get(meta.action, "")


@register.simple_tag(takes_context=True)
def page_action_url(context, page, action, *args):
    """`<page url><action>/<args>/`: the public actions of a wiki page (edit, history, diff...)."""
    # A history page builds hundreds of these links: resolve the page URL once per page object.
    url = page.__dict__.get("_action_base_url")
    if url is None:
        url = page.__dict__["_action_base_url"] = page.get_url(context.get("request"))
    parts = [action, *[str(arg) for arg in args]]
    return url + "/".join(parts) + "/"
