from django import template
from django.core.cache import cache

register = template.Library()

CACHE_KEY = "workshops:index-url"


@register.simple_tag
def workshops_index_url():
    """URL of the first live workshop index, or "" (one query, cached ten minutes)."""

    def find():
        from workshops.models import WorkshopIndexPage

        index = WorkshopIndexPage.objects.live().order_by("path").first()
        return (index.url or "") if index else ""

    return cache.get_or_set(CACHE_KEY, find, 600)


UPCOMING_ON_HOME = 3


@register.inclusion_tag("workshops/_upcoming.html")
def upcoming_workshops(user=None, limit=UPCOMING_ON_HOME):
    """The next live, scheduled workshops `user` may see (members.visibility), for the home page (one query)."""
    from django.utils import timezone

    from members import visibility
    from workshops.models import WorkshopPage

    workshops = (
        visibility.visible(WorkshopPage.objects.live(), user)
        .filter(status=WorkshopPage.Status.SCHEDULED, starts_at__gt=timezone.now())
        .select_related("commune")
        .order_by("starts_at", "pk")[:limit]
    )
    return {"workshops": list(workshops), "index_url": workshops_index_url()}
