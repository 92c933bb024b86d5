"""`{% my_workshops_of user as mine %}`: the workshops of a member, for "My workshops" on /me/.

templates/members/_my_workshops.html loads it: a template is not an import, so members
(below workshops in the import layers) never imports workshops.
"""

from django import template
from django.utils import timezone

from members import visibility
from workshops.models import Registration

register = template.Library()

UPCOMING_LIMIT = 20
PAST_LIMIT = 10
# Registrations worth showing: those the member did not decline or cancel.
SHOWN = (*Registration.ACTIVE, Registration.Status.ATTENDED, Registration.Status.ABSENT)


@register.simple_tag
def my_workshops_of(user, now=None):
    """{"upcoming": [...], "past": [...]}: the member's registrations with their workshops (one query).

    Only the live workshops the member may see (members.visibility); the latest first for the past
    ones, the next first for the upcoming ones.
    """
    now = now or timezone.now()
    registrations = visibility.visible(
        Registration.objects.filter(member__user=user, status__in=SHOWN, workshop__live=True),
        user,
        page_field="workshop",
    ).select_related("workshop")
    rows = list(registrations.order_by("workshop__starts_at", "pk"))
    for row in rows:
        row.event_url = row.workshop.subpage_url("event")  # Wagtail caches the site's root paths: no query
    upcoming = [row for row in rows if row.workshop.ends_at > now][:UPCOMING_LIMIT]
    past = [row for row in reversed(rows) if row.workshop.ends_at <= now][:PAST_LIMIT]
    return {"upcoming": upcoming, "past": past}
