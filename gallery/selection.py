"""The community manager's selection ("À la une"): what shows now, for whom, in two queries.

Visibility is a filter of the query: items whose page is not live or is
private to the visitor (members.visibility), whose photo is hidden, or that
are outside their dates are left out.
"""

from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.images import get_image_model

from gallery import render
from gallery.models import SelectionItem
from members import visibility

MAX_ITEMS = 12


def current_items(*, theme=None, commune=None, user=None, now=None, limit=MAX_ITEMS):
    """The items of the selection of `theme`, `commune` or (neither) the home page, shown now to `user`."""
    now = now or timezone.now()
    items = SelectionItem.objects.filter(
        Q(selection__theme=theme) if theme is not None else Q(selection__theme__isnull=True),
        Q(selection__commune=commune) if commune is not None else Q(selection__commune__isnull=True),
        Q(starts_at__isnull=True) | Q(starts_at__lte=now),
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        Q(page__isnull=True) | Q(page__live=True),
        Q(photo__isnull=True) | Q(photo__hidden=False),
    )
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=render.FILTERS)
    items = (
        visibility.visible(items, user if user is not None and user.is_authenticated else None, "page")
        .select_related("page", "photo__image")
        .prefetch_related(Prefetch("photo__image__renditions", queryset=renditions, to_attr="prefetched_renditions"))
        .order_by("sort_order", "pk")
    )
    return list(items[:limit])
