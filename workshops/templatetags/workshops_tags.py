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
