"""Recent changes across the territory, as MediaWiki's Special:RecentChanges.

One flat query: the RevisionMeta rows with their revision, author and page.
Private pages the visitor may not see are left out (members.visibility).
"""

from datetime import timedelta

from django import forms
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.params import parse_text
from members import visibility
from members.models import Member
from members.scoring import PERIOD_LABELS, period_start
from wiki import territory
from wiki.models import RevisionMeta

# "Ten edits of one page are one line": the changes of the last days a line counts.
GROUPED_DAYS = 7
GROUPED_WINDOW = 500


def recent_changes(*, user, place=None, new_pages_only=False, since=None, member=None):
    """The latest revisions of the live wiki pages `user` may see, newest first; under `place` if given.

    `user` is the visitor (None or anonymous: the public's view); it is required, so no list forgets it.
    """
    changes = (
        visibility.visible(RevisionMeta.objects.filter(page__live=True), user, "page")
        .select_related("revision__user__member", "page")
        .defer("revision__content")
        .order_by("-revision_id")
    )
    if place is not None:
        changes = changes.filter(territory.under(place))
    if new_pages_only:
        changes = changes.filter(is_new_page=True)
    if since is not None:
        changes = changes.filter(revision__created_at__gte=since)
    if member is not None:
        changes = changes.filter(revision__user_id=member.user_id)
    return changes


def latest_by_page(*, user, place=None, limit, days=GROUPED_DAYS):
    """The latest change of each of the `limit` pages changed last, newest first, in one query.

    Each row is the RevisionMeta of the page's latest change, as `recent_changes`
    gives them, with `recent_count`: how many changes the page had over the last
    `days` days (None when its latest change is older). Ten edits of one page are one line.
    """
    changes = recent_changes(user=user, place=place)
    # Grouped among the latest GROUPED_WINDOW changes only (the primary key's index): a bounded cost on a métropole.
    window = changes.order_by("-revision_id").values("revision_id")[:GROUPED_WINDOW]
    latest_ids = (
        changes.filter(revision_id__in=window)
        .order_by()
        .values("page_id")
        .annotate(last=Max("revision_id"))
        .order_by("-last")
    )
    since = timezone.now() - timedelta(days=days)
    counts = (
        RevisionMeta.objects.filter(page_id=OuterRef("page_id"), revision__created_at__gte=since)
        .order_by()
        .values("page_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return changes.filter(revision_id__in=latest_ids.values("last")[:limit]).annotate(recent_count=Subquery(counts))


class ChangesFilterForm(forms.Form):
    """The period and member filters of /recent-changes/ (?period=7d|30d|12m|all&member=<pseudonym>)."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=list(PERIOD_LABELS.items()),
        required=False,
        error_messages={
            "invalid_choice": _("Unknown period “%(value)s”: choose 7 days, 30 days, 12 months or all time.")
        },
    )
    member = forms.CharField(label=_("Member (pseudonym)"), max_length=40, required=False, strip=True)

    def clean_period(self):
        return self.cleaned_data.get("period") or "all"

    def clean_member(self):
        pseudonym = parse_text(" ".join((self.cleaned_data.get("member") or "").split()), max_length=40)
        if not pseudonym:
            return None
        member = Member.objects.filter(pseudonym__iexact=pseudonym).select_related("user").first()
        if member is None:
            raise forms.ValidationError(
                _("No member is called “%(pseudonym)s”. Check the spelling of the pseudonym."),
                params={"pseudonym": pseudonym},
            )
        return member

    def since(self):
        return period_start(self.cleaned_data["period"], timezone.now())


def version_numbers(page, revision_ids):
    """{revision id: its number in the page's own history}, the oldest being 1, in one query."""
    from django.db.models import Q

    from wiki.services import page_revisions

    ids = sorted({pk for pk in revision_ids if pk is not None})
    if not ids:
        return {}
    counts = page_revisions(page).aggregate(**{f"v{pk}": Count("pk", filter=Q(pk__lte=pk)) for pk in ids})
    return {pk: counts[f"v{pk}"] for pk in ids}
