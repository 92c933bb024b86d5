"""Taking part follows the discussion; the follow digest carries the comments of others, never one's own."""

from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from discussion import services
from discussion.models import Comment
from tests.discussion.conftest import LONG
from wiki import follows
from wiki.models import PageFollow


def test_commenting_follows_the_page_once(territory, wiki_page, other_resident, make_workshop):
    workshop = make_workshop()
    for page in (wiki_page, wiki_page, territory["lormont"], workshop):
        services.post_comment(other_resident, page, LONG)
    assert set(PageFollow.objects.filter(user=other_resident).values_list("page_id", flat=True)) == {
        wiki_page.pk,
        territory["lormont"].pk,
        workshop.pk,
    }


def test_the_digest_lists_comments_of_others_never_ones_own(wiki_page, resident, other_resident, make_user):
    # The author of the page follows it; Karim takes part; Lina takes part too, then only Karim writes again.
    lina = make_user("lina@example.fr", pseudonym="Lina")
    services.post_comment(resident, wiki_page, LONG)
    services.post_comment(lina, wiki_page, LONG)
    follows.send_digests()  # resident: Lina's comment; Lina: nothing of hers
    mail.outbox.clear()
    later = timezone.now() + timedelta(minutes=1)
    services.post_comment(other_resident, wiki_page, LONG + " Karim", now=later)
    gone = services.post_comment(other_resident, wiki_page, LONG + " effacé", now=later)
    services.delete_comment(other_resident, gone)
    pending = {digest.user.pk: digest.entries for digest in follows.pending_digests(later + timedelta(minutes=1))}
    assert set(pending) == {resident.pk, lina.pk}  # Karim is told nothing of his own comments
    for entries in pending.values():
        [entry] = entries
        assert (entry.comments, entry.commenters, entry.changes) == (1, ["Karim"], 0)  # the deleted one left out
    assert follows.send_digests(now=later + timedelta(minutes=1)) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {resident.email, lina.email}  # Karim gets no email of his own comments
    text = by_recipient[lina.email].body
    assert "Karim" in text and "/history/" not in text
    assert settings.SITE_URL + reverse("discussion:page", args=[wiki_page.pk]) in text
    html = by_recipient[lina.email].alternatives[0][0]
    assert reverse("discussion:page", args=[wiki_page.pk]) in html
    assert follows.send_digests(now=later + timedelta(minutes=2)) == 0


def test_own_comments_alone_send_nothing(wiki_page, other_resident):
    services.post_comment(other_resident, wiki_page, LONG)
    PageFollow.objects.exclude(user=other_resident).delete()
    mail.outbox.clear()
    assert follows.send_digests() == 0


def test_building_digests_with_comments_takes_the_same_queries(wiki_page, make_user, other_resident):
    counts = []
    for size in (2, 6):
        Comment.objects.all().delete()
        readers = [make_user(f"reader{size}-{n}@example.fr") for n in range(size)]
        for reader in readers:
            follows.follow(reader, wiki_page)
        PageFollow.objects.update(created_at=timezone.now() - timedelta(hours=1), notified_until=None)
        for n in range(size):
            Comment.objects.create(page=wiki_page, author=other_resident, body=f"{LONG} {n}", created_at=timezone.now())
        follows.pending_digests()
        with CaptureQueriesContext(connection) as queries:
            digests = follows.pending_digests()
        assert len(digests) >= size
        counts.append(len(queries))
    assert counts[0] == counts[1]
