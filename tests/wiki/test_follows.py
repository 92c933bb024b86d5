"""Following pages (wiki.follows): the services, the digest emails, the command and the views."""

import io
import re
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from members.services import delete_account, export_member_data
from tests.conftest import add_page
from tests.wiki.conftest import edit
from wiki import follows
from wiki.models import PageFollow, ProjectPage, RevisionMeta, WikiPage

pytestmark = pytest.mark.django_db

FOLLOWS_URL = "/me/follows/"


@pytest.fixture
def market(territory, write_page):
    """A page Nadia (resident) wrote: she follows it from its creation."""
    return write_page(territory["genicart"], "Le marché", "Le samedi matin.", summary="Première version")


def make_page(parent, title, body="Texte.", page_class=WikiPage, **fields):
    """A page made without the editing service (no author, no rate limit), with its first revision."""
    from django.utils.text import slugify

    return add_page(parent, page_class(title=title, slug=slugify(title), body=body, **fields))


def change(page, user, summary="", body=None):
    """A revision of `page` by `user`, saved at the model level (many of them without rate limits)."""
    page = page.specific_class.objects.get(pk=page.pk)
    page.body = body if body is not None else f"{page.body}\n\nAjout {page.latest_revision_id}."
    revision = page.save_revision(user=user, summary=summary)
    revision.publish(user=user, skip_permission_checks=True)
    return revision


def digest_to(user):
    messages = [message for message in mail.outbox if message.to == [user.email]]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    message = messages[0]
    return message, message.body, message.alternatives[0][0]


# Services -------------------------------------------------------------------------------


def test_follow_unfollow_and_list(territory, resident):
    page = make_page(territory["genicart"], "La piscine")
    project = make_page(territory["carriet"], "Aire de jeux", page_class=ProjectPage)
    assert not follows.is_following(resident, page)
    first = follows.follow(resident, page)
    assert follows.follow(resident, page) == first  # following twice changes nothing
    follows.follow(resident, project)
    assert follows.is_following(resident, page)
    assert [f.page.title for f in follows.followed_pages(resident)] == ["Aire de jeux", "La piscine"]
    assert follows.unfollow(resident, page) is True
    assert follows.unfollow(resident, page) is False
    assert not follows.is_following(resident, page)
    assert follows.unfollow_all(resident) == 1
    assert PageFollow.objects.count() == 0


def test_only_verified_members_follow_wiki_pages(territory, make_user, resident):
    page = make_page(territory["genicart"], "La piscine")
    with pytest.raises(PermissionDenied):
        follows.follow(make_user("new@example.fr", verified=False), page)
    with pytest.raises(PermissionDenied):
        follows.follow(resident, territory["genicart"])  # a neighbourhood is not a wiki page
    page.unpublish()
    with pytest.raises(PermissionDenied):
        follows.follow(resident, WikiPage.objects.get(pk=page.pk))
    assert PageFollow.objects.count() == 0


def test_authors_follow_the_pages_they_create(market, resident):
    assert follows.is_following(resident, market)


# Digests --------------------------------------------------------------------------------


def test_one_digest_per_member_without_their_own_edits(market, resident, other_resident):
    told = market.latest_revision_id
    edit(market, other_resident, "Le samedi matin, place du marché.", summary="Précise le lieu")
    edit(market, resident, "Le samedi matin, place du marché. Dès 8 h.", summary="Mon ajout à moi")
    head = edit(market, other_resident, "Le samedi, place du marché. Dès 8 h.", summary="Corrige").revision.pk
    mail.outbox.clear()

    [digest] = follows.pending_digests()
    assert digest.user == resident
    [entry] = digest.entries
    assert (entry.title, entry.changes, entry.editors) == ("Le marché", 2, ["Karim"])  # her own edit left out
    assert [(s.editor, s.text) for s in entry.summaries] == [("Karim", "Précise le lieu"), ("Karim", "Corrige")]
    assert follows.send_digests() == 1
    message, text, html = digest_to(resident)
    assert len(mail.outbox) == 1  # Karim follows nothing
    assert "Le marché" in message.subject
    assert "Le marché" in text and "Karim" in text
    assert "Précise le lieu" in text and "Corrige" in text and "Mon ajout à moi" not in text
    diff_url = f"{settings.SITE_URL}{market.url}diff/{told}/{head}/"
    assert diff_url in text and diff_url in html
    assert f"{settings.SITE_URL}{market.url}history/" in text
    assert "Précise le lieu" in html and "Mon ajout à moi" not in html


def test_own_edits_alone_send_nothing(market, resident):
    edit(market, resident, "Autre texte.", summary="Moi seule")
    mail.outbox.clear()
    assert follows.send_digests() == 0
    assert mail.outbox == []


def test_hidden_revisions_summaries_never_go_out(market, resident, other_resident):
    secret = edit(market, other_resident, "Texte injurieux.", summary="Insulte dans le résumé").revision
    edit(market, other_resident, "Le samedi matin.", summary="Retire l'insulte")
    RevisionMeta.objects.filter(revision=secret).update(hidden=True)
    mail.outbox.clear()
    [digest] = follows.pending_digests()
    assert digest.entries[0].changes == 2  # the hidden change still counts
    assert [summary.text for summary in digest.entries[0].summaries] == ["Retire l'insulte"]
    follows.send_digests()
    _message, text, html = digest_to(resident)
    assert "Insulte" not in text and "Insulte" not in html
    assert "Retire l'insulte" in text


def test_several_pages_in_one_email(territory, resident, other_resident, moderator):
    pages = [make_page(territory["genicart"], title) for title in ("La piscine", "La médiathèque", "Le parc")]
    for page in pages:
        follows.follow(resident, page)
    change(pages[0], other_resident, "Horaires d'été")
    change(pages[0], other_resident, "Tarifs")
    change(pages[1], moderator, "Nouvelle adresse")
    mail.outbox.clear()

    assert follows.send_digests() == 1
    message, text, _html = digest_to(resident)
    assert "2" in message.subject
    assert "La piscine" in text and "La médiathèque" in text and "Le parc" not in text
    assert text.index("La médiathèque") < text.index("La piscine")  # by title
    assert "Karim" in text and "Modo" in text


def test_running_twice_sends_nothing_and_moves_the_window(market, resident, other_resident):
    edit(market, other_resident, "Nouveau texte.", summary="Première")
    mail.outbox.clear()
    now = timezone.now()
    assert follows.send_digests(now) == 1
    assert PageFollow.objects.get(user=resident, page=market).notified_until == now
    assert follows.send_digests() == 0
    assert follows.pending_digests() == []
    assert len(mail.outbox) == 1

    told = market.specific_class.objects.get(pk=market.pk).latest_revision_id
    head = edit(market, other_resident, "Encore un texte.", summary="Seconde").revision.pk
    assert follows.send_digests() == 1
    text = mail.outbox[-1].body
    assert "Seconde" in text and "Première" not in text
    assert f"{market.url}diff/{told}/{head}/" in text


def test_an_overlapping_run_does_not_send_the_digest_twice(market, resident, other_resident, monkeypatch):
    edit(market, other_resident, "Nouveau texte.", summary="Modif")
    mail.outbox.clear()
    read_before_the_other_run = follows.pending_digests()
    assert follows.send_digests() == 1
    # A second run that read the follows before the first one moved them on skips the member.
    monkeypatch.setattr(follows, "pending_digests", lambda now=None: read_before_the_other_run)
    assert follows.send_digests() == 0
    assert len(mail.outbox) == 1


def test_edits_after_now_wait_for_the_next_digest(market, resident, other_resident):
    edit(market, other_resident, "Nouveau texte.", summary="Première")
    earlier = timezone.now() - timezone.timedelta(hours=1)
    assert follows.send_digests(earlier) == 0
    assert PageFollow.objects.get(user=resident, page=market).notified_until is None


def test_no_digest_for_inactive_or_unverified_members_or_unpublished_pages(
    territory, make_user, other_resident, resident
):
    page = make_page(territory["genicart"], "La piscine")
    gone = make_user("gone@example.fr")
    unverified = make_user("later@example.fr")
    for user in (gone, unverified, resident):
        follows.follow(user, page)
    gone.is_active = False
    gone.save()
    unverified.emailaddress_set.update(verified=False)
    unpublished = make_page(territory["genicart"], "Brouillon")
    follows.follow(resident, unpublished)
    change(page, other_resident, "Modif")
    change(unpublished, other_resident, "Modif du brouillon")
    unpublished.unpublish()
    mail.outbox.clear()
    assert follows.send_digests() == 1
    _message, text, _html = digest_to(resident)
    assert "Brouillon" not in text


def test_the_email_is_french_with_links_to_manage_and_stop(market, resident, other_resident):
    edit(market, other_resident, "Nouveau texte.", summary="Modif")
    mail.outbox.clear()
    with translation.override("en"):  # the worker's language does not matter
        follows.send_digests()
    message, text, html = digest_to(resident)
    assert "Historique" in text
    assert f"{settings.SITE_URL}{FOLLOWS_URL}" in text and f"{settings.SITE_URL}{FOLLOWS_URL}" in html
    stop = re.search(rf"{re.escape(settings.SITE_URL)}(/me/follows/stop/[^/\s]+/)", text).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{stop}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.alternatives[0][1] == "text/html"


def test_a_failed_email_is_sent_again_by_the_next_run(market, resident, other_resident, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    edit(market, other_resident, "Nouveau texte.", summary="Modif")
    mail.outbox.clear()
    original = EmailMultiAlternatives.send

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    follows.send_digests()
    assert mail.outbox == []
    assert PageFollow.objects.get(user=resident, page=market).notified_until is not None
    assert len(follows.pending_digests()) == 1
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    assert follows.send_digests() == 1
    assert "Modif" in digest_to(resident)[1]


def test_the_command_sends_the_digests(market, resident, other_resident):
    edit(market, other_resident, "Nouveau texte.", summary="Modif")
    mail.outbox.clear()
    out = io.StringIO()
    call_command("send_follow_digests", stdout=out)
    assert out.getvalue().strip() == "1 digest queued."
    assert [m.to for m in mail.outbox] == [[resident.email]]
    out = io.StringIO()
    call_command("send_follow_digests", stdout=out)
    assert out.getvalue().strip() == "0 digests queued."


def test_building_digests_takes_the_same_queries_for_more_members_and_pages(territory, make_user, other_resident):
    counts = []
    for size in (2, 6):
        PageFollow.objects.all().delete()
        readers = [make_user(f"reader{size}-{n}@example.fr") for n in range(size)]
        pages = [make_page(territory["genicart"], f"Page {size}-{n}") for n in range(size)]
        for reader in readers:
            for page in pages:
                follows.follow(reader, page)
        for page in pages:
            change(page, other_resident, "Modif")
            change(page, other_resident, "Autre modif")
        follows.pending_digests()  # warm the site's caches
        with CaptureQueriesContext(connection) as queries:
            digests = follows.pending_digests()
        assert len(digests) == size and all(len(digest.entries) == size for digest in digests)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Views: the Follow button ---------------------------------------------------------------


def test_the_page_shows_the_right_follow_control(client, market, resident, make_user, territory):
    project = make_page(territory["carriet"], "Aire de jeux", page_class=ProjectPage)
    for page in (market, project):
        html = client.get(page.url).text
        assert f'href="/accounts/login/?next={page.url}"' in html
        assert f'action="{page.url}follow/"' not in html
    client.force_login(make_user("new@example.fr", verified=False))
    assert f'action="{market.url}follow/"' not in client.get(market.url).text
    client.force_login(resident)
    assert 'value="unfollow"' in client.get(market.url).text  # she wrote it
    assert 'value="follow"' in client.get(project.url).text


def test_follow_and_unfollow_by_role(client, territory, any_role):
    role, user = any_role
    page = make_page(territory["genicart"], "La piscine")
    if user:
        client.force_login(user)
    response = client.post(page.url + "follow/", {"action": "follow"})
    assert response.status_code == 302
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/?next=")
        assert PageFollow.objects.count() == 0
        return
    assert response.url == page.url
    assert follows.is_following(user, page)
    assert 'value="unfollow"' in client.get(page.url).text
    response = client.post(page.url + "follow/", {"action": "unfollow"})
    assert response.status_code == 302 and response.url == page.url
    assert not follows.is_following(user, page)


def test_unverified_members_cannot_follow(client, territory, make_user):
    page = make_page(territory["genicart"], "La piscine")
    client.force_login(make_user("new@example.fr", verified=False))
    assert client.post(page.url + "follow/", {"action": "follow"}).status_code == 403
    assert PageFollow.objects.count() == 0


def test_bad_requests_on_the_follow_route_never_fail(client, territory, resident):
    page = make_page(territory["genicart"], "La piscine")
    client.force_login(resident)
    assert client.get(page.url + "follow/").status_code == 405
    response = client.post(page.url + "follow/", {"action": "everything"})
    assert response.status_code == 302
    assert client.post(page.url + "follow/").status_code == 302
    assert PageFollow.objects.count() == 0
    assert client.post(page.url + "follow/", {"action": "unfollow"}).status_code == 302  # not following: fine
    assert client.post(territory["genicart"].url + "follow/", {"action": "follow"}).status_code == 404
    assert client.post("/nowhere/follow/", {"action": "follow"}).status_code == 404


def test_the_follow_route_needs_the_csrf_token(territory, resident):
    page = make_page(territory["genicart"], "La piscine")
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(page.url + "follow/", {"action": "follow"}).status_code == 403
    assert PageFollow.objects.count() == 0


def test_creating_a_page_tells_the_author_they_follow_it(client, territory, resident):
    client.force_login(resident)
    response = client.post(
        territory["genicart"].url + "new/",
        {"title": "La poste", "body": "Ouverte le matin.", "summary": "", "kind": "wiki"},
        follow=True,
    )
    assert response.status_code == 200
    page = WikiPage.objects.get(title="La poste")
    assert follows.is_following(resident, page)
    assert len(list(response.context["messages"])) == 2


# Views: the member's list of followed pages ---------------------------------------------


def test_the_followed_pages_list_by_role(client, territory, any_role):
    role, user = any_role
    page = make_page(territory["genicart"], "La piscine")
    if user is None:
        response = client.get(FOLLOWS_URL)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")
        assert client.post(FOLLOWS_URL, {"page": page.pk}).status_code == 302
        return
    follows.follow(user, page)
    client.force_login(user)
    response = client.get(FOLLOWS_URL)
    assert response.status_code == 200
    assert "La piscine" in response.text and f'href="{page.url}"' in response.text
    response = client.post(FOLLOWS_URL, {"page": page.pk})
    assert response.status_code == 302 and response.url.startswith(FOLLOWS_URL)
    assert not follows.is_following(user, page)


def test_a_member_sees_only_their_own_follows(client, territory, resident, other_resident):
    mine = make_page(territory["genicart"], "La piscine")
    theirs = make_page(territory["genicart"], "Le parc")
    follows.follow(resident, mine)
    follows.follow(other_resident, theirs)
    client.force_login(resident)
    html = client.get(FOLLOWS_URL).text
    assert "La piscine" in html and "Le parc" not in html
    client.post(FOLLOWS_URL, {"page": theirs.pk})  # someone else's follow is untouched
    assert follows.is_following(other_resident, theirs)


def test_bad_input_on_the_list_never_fails(client, territory, resident):
    page = make_page(territory["genicart"], "La piscine")
    follows.follow(resident, page)
    client.force_login(resident)
    for data in ({}, {"page": "abc"}, {"page": "-3"}, {"page": "999999"}, {"page": page.pk, "list_page": "x"}):
        assert client.post(FOLLOWS_URL, data).status_code == 302
    assert client.get(FOLLOWS_URL + "?page=abc").status_code == 200
    assert client.get(FOLLOWS_URL + "?page=999").status_code == 200
    assert client.put(FOLLOWS_URL).status_code == 405


def test_stop_following_everything_from_the_list(client, territory, resident):
    for title in ("La piscine", "Le parc"):
        follows.follow(resident, make_page(territory["genicart"], title))
    client.force_login(resident)
    assert client.post(FOLLOWS_URL, {"all": "on"}).status_code == 302
    assert PageFollow.objects.count() == 0


def test_the_list_is_paginated_with_flat_queries(client, territory, resident, django_assert_max_num_queries):
    from wiki.follow_views import FOLLOWS_PER_PAGE

    client.force_login(resident)
    counts = []
    made = 0
    for size in (3, FOLLOWS_PER_PAGE + 5):
        while made < size:
            follows.follow(resident, make_page(territory["genicart"], f"Page {made:03d}"))
            made += 1
        client.get(FOLLOWS_URL)  # warm the site's caches
        with django_assert_max_num_queries(12) as queries:
            response = client.get(FOLLOWS_URL)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Page 000" in response.text and f"Page {FOLLOWS_PER_PAGE:03d}" not in response.text
    assert f"Page {FOLLOWS_PER_PAGE:03d}" in client.get(FOLLOWS_URL + "?page=2").text


def test_the_profile_links_to_the_followed_pages(client, resident):
    client.force_login(resident)
    assert f'href="{FOLLOWS_URL}"' in client.get(reverse("members:profile")).text


# Views: the one-click link of the emails -------------------------------------------------


def test_the_email_link_stops_every_follow_without_signing_in(territory, resident, other_resident):
    page = make_page(territory["genicart"], "La piscine")
    follows.follow(resident, page)
    follows.follow(other_resident, page)
    url = reverse("wiki:unfollow-all", args=[follows.unfollow_all_token(resident)])
    client = Client(enforce_csrf_checks=True)  # mail apps POST without a CSRF token (RFC 8058)
    assert client.get(url).status_code == 200
    assert follows.is_following(resident, page)  # opening the link changes nothing
    assert client.post(url).status_code == 200
    assert not follows.is_following(resident, page)
    assert follows.is_following(other_resident, page)


def test_a_forged_email_link_does_nothing(client, territory, resident):
    page = make_page(territory["genicart"], "La piscine")
    follows.follow(resident, page)
    token = follows.unfollow_all_token(resident)
    for bad in (token[:-2] + "xx", "nonsense", "1"):
        url = reverse("wiki:unfollow-all", args=[bad])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert follows.is_following(resident, page)


# Personal data --------------------------------------------------------------------------


def test_the_export_lists_followed_pages_and_deletion_removes_them(market, resident):
    data = export_member_data(resident.member)
    assert [item["page"] for item in data["followed_pages"]] == ["Le marché"]
    assert data["followed_pages"][0]["page_url"] == market.url_path
    delete_account(resident)
    assert PageFollow.objects.filter(user=resident).count() == 0
