"""Discussion views for every role: reading, commenting, replying, editing, deleting; bad input; query counts."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from discussion import services
from discussion.models import Comment
from tests.discussion.conftest import LONG

ROLES = ["anonymous", "unverified", "resident", "blocked", "moderator", "staff"]


@pytest.fixture
def as_role(request, client):
    def sign_in(role):
        if role == "anonymous":
            return None
        user = request.getfixturevalue(role)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def discussion_url(page):
    return reverse("discussion:page", args=[page.pk])


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_discussion_below_the_page_and_on_its_own_page(client, as_role, role, wiki_page, resident):
    services.post_comment(resident, wiki_page, LONG)
    as_role(role)
    for url in (wiki_page.url, discussion_url(wiki_page)):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "un point d&#x27;eau" in html or "un point d'eau" in html
        assert "1 comment" in html
        can_write = role in ("resident", "moderator", "staff")
        assert ('name="body"' in html) is can_write
        assert ('name="as_moderator"' in html) is (role in ("moderator", "staff"))
    if role == "anonymous":
        assert "Sign in to comment" in html
    if role == "unverified":
        assert "Confirm your email address" in html
    if role == "blocked":
        assert "blocked" in html


@pytest.mark.parametrize("role", ROLES)
def test_posting_for_every_role(client, as_role, role, wiki_page):
    user = as_role(role)
    response = client.post(discussion_url(wiki_page), {"body": LONG, "as_moderator": "on"})
    if role in ("resident", "moderator", "staff"):
        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"].endswith(f"#comment-{comment.pk}")
        assert comment.author == user
        assert comment.role == {"resident": "", "moderator": "moderator", "staff": "staff"}[role]
        page = client.get(response["Location"]).content.decode()
        if comment.role:
            assert "comment-role" in page
    else:
        assert response.status_code == 400
        assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Write something"), ("   ", "Write something"), ("x" * 81, "at most 80 characters")],
)
@override_settings(DISCUSSION_MAX_LENGTH=80)
def test_bad_text_is_explained_and_kept(client, resident, wiki_page, body, message):
    client.force_login(resident)
    response = client.post(discussion_url(wiki_page), {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert body.strip() in html
    assert not Comment.objects.exists()


def test_reply_page_and_refusals(client, resident, other_resident, wiki_page):
    top = services.post_comment(resident, wiki_page, LONG)
    client.force_login(other_resident)
    url = reverse("discussion:reply", args=[top.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Oui, et aussi un composteur pour le quartier."})
    reply = Comment.objects.get(parent=top)
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{reply.pk}")
    deep = services.post_comment(resident, wiki_page, LONG, parent=reply)
    response = client.post(reverse("discussion:reply", args=[deep.pk]), {"body": "Trop profond pour répondre ici."})
    assert response.status_code == 400
    assert "two levels" in response.content.decode()
    assert "Trop profond pour répondre ici." in response.content.decode()
    services.delete_comment(resident, top)
    response = client.post(url, {"body": "Une réponse à un commentaire effacé."})
    assert response.status_code == 400
    assert "deleted or hidden" in response.content.decode()
    assert Comment.objects.count() == 3


def test_forged_and_foreign_ids(client, resident, other_resident, wiki_page, territory):
    top = services.post_comment(resident, wiki_page, LONG)
    client.force_login(other_resident)
    for url in ("/discussion/999999/", "/discussion/comment/999999/reply/", "/discussion/0/", "/discussion/-1/"):
        assert client.get(url).status_code == 404
    # A page with no discussion, a hidden comment, someone else's comment to edit or delete.
    assert client.get(discussion_url(territory["home"])).status_code == 404
    assert client.post(reverse("discussion:edit", args=[top.pk]), {"body": "Pris en main."}).status_code == 404
    assert client.post(reverse("discussion:delete", args=[top.pk])).status_code == 404
    Comment.objects.filter(pk=top.pk).update(state=Comment.State.HIDDEN)
    assert client.get(reverse("discussion:reply", args=[top.pk])).status_code == 404
    assert Comment.objects.get(pk=top.pk).body == LONG and Comment.objects.count() == 1


def test_edit_and_delete_by_the_author(client, resident, moderator, wiki_page, settings):
    comment = services.post_comment(resident, wiki_page, LONG)
    client.force_login(resident)
    edit_url = reverse("discussion:edit", args=[comment.pk])
    assert "15 minutes" in client.get(edit_url).content.decode()
    assert client.post(edit_url, {"body": ""}).status_code == 400
    response = client.post(edit_url, {"body": "Version corrigée : un point d'eau, des bancs."})
    assert response.status_code == 302
    html = client.get(discussion_url(wiki_page)).content.decode()
    assert "edited" in html and "earlier version" not in html
    settings.DISCUSSION_EDIT_MINUTES = 0
    response = client.post(edit_url, {"body": "Encore une correction."})
    assert response.status_code == 400 and "can no longer be edited" in response.content.decode()
    delete_url = reverse("discussion:delete", args=[comment.pk])
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url).status_code == 302
    html = client.get(discussion_url(wiki_page)).content.decode()
    assert "Comment deleted." in html and "Version corrigée" not in html
    assert "0 comments" in html
    # Moderators still read the deleted text and the earlier versions.
    client.force_login(moderator)
    html = client.get(discussion_url(wiki_page)).content.decode()
    assert "Version corrigée" in html and "1 earlier version" in html


def test_markdown_is_rendered_and_cleaned(client, resident, wiki_page):
    services.post_comment(resident, wiki_page, "**gras** <script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get(discussion_url(wiki_page)).content.decode()
    assert "<strong>gras</strong>" in html
    assert "<script>alert(1)" not in html and 'href="javascript' not in html


def test_private_pages_hide_their_discussion(client, resident, wiki_page):
    from wagtail.models import PageViewRestriction

    services.post_comment(resident, wiki_page, LONG)
    PageViewRestriction.objects.create(page=wiki_page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(discussion_url(wiki_page)).status_code == 404
    comment = Comment.objects.get()
    assert client.get(reverse("discussion:reply", args=[comment.pk])).status_code == 404
    client.force_login(resident)
    assert client.get(discussion_url(wiki_page)).status_code == 200


def make_conversations(page, authors, count):
    """`count` conversations, each with a reply and a reply to the reply (made directly: no rate limit)."""
    now = timezone.now()
    for n in range(count):
        top = Comment.objects.create(page=page, author=authors[0], body=f"{LONG} {n}", created_at=now)
        first = Comment.objects.create(
            page=page, author=authors[1], parent=top, thread=top, depth=1, body="Réponse", created_at=now
        )
        Comment.objects.create(
            page=page, author=authors[0], parent=first, thread=top, depth=2, body="Re", created_at=now
        )


@pytest.mark.parametrize("role", ["anonymous", "resident", "moderator"])
def test_a_fixed_number_of_queries_whatever_the_number_of_comments(
    client, as_role, role, wiki_page, resident, other_resident, django_assert_max_num_queries
):
    as_role(role)
    client.get(discussion_url(wiki_page))  # caches warmed once (site, content types)
    counts = []
    for size in (3, 30):
        make_conversations(wiki_page, [resident, other_resident], size)
        for url in (discussion_url(wiki_page), discussion_url(wiki_page) + "?page=2", wiki_page.url):
            with django_assert_max_num_queries(40) as context:
                assert client.get(url).status_code == 200
            counts.append(len(context.captured_queries))
    assert counts[:3] == counts[3:], counts


@pytest.mark.parametrize("role", ROLES)
def test_reply_edit_and_delete_views_for_every_role(client, as_role, role, wiki_page, other_resident):
    top = services.post_comment(other_resident, wiki_page, LONG)
    user = as_role(role)
    reply_url = reverse("discussion:reply", args=[top.pk])
    assert client.get(reply_url).status_code == 200
    response = client.post(reply_url, {"body": "Une réponse de ce rôle, bien argumentée."})
    may_write = role in ("resident", "moderator", "staff")
    assert response.status_code == (302 if may_write else 400)
    assert Comment.objects.filter(parent=top).count() == (1 if may_write else 0)
    # Someone else's comment: no edit nor deletion, for moderators neither (moderation comes with its own tools).
    for name in ("edit", "delete"):
        assert client.post(reverse(f"discussion:{name}", args=[top.pk]), {"body": "Pris."}).status_code == 404
    if may_write:
        own = Comment.objects.get(parent=top, author=user)
        assert client.get(reverse("discussion:edit", args=[own.pk])).status_code == 200
        assert client.post(reverse("discussion:delete", args=[own.pk])).status_code == 302
        assert Comment.objects.get(pk=own.pk).is_deleted
    assert Comment.objects.get(pk=top.pk).body == LONG and not Comment.objects.get(pk=top.pk).is_deleted


def test_every_kind_of_page_shows_its_discussion_and_its_count(client, territory, resident, make_workshop, settings):
    from wiki import services as wiki_services

    settings.DISCUSSION_COMMENTS_PER_HOUR_NEW = 20

    project = wiki_services.create_page(resident, territory["lormont"], "Piste", "Projet.", page_type="project")
    pages = [territory["lormont"], territory["genicart"], project, make_workshop()]
    for page in pages:
        for _ in range(2):
            services.post_comment(resident, page, LONG)
    client.force_login(resident)
    for page in pages:
        html = client.get(page.url).content.decode()
        assert 'id="discussion-title"' in html and "2 comments" in html
        assert reverse("discussion:page", args=[page.pk]) in html
    assert 'id="discussion-title"' not in client.get(territory["home"].url).content.decode()


def test_the_block_below_the_page_shows_the_latest_conversations_and_links_to_older_ones(
    client, wiki_page, resident, other_resident
):
    from discussion.listing import BLOCK_SIZE

    make_conversations(wiki_page, [resident, other_resident], BLOCK_SIZE + 1)
    html = client.get(wiki_page.url).content.decode()
    assert html.count('class="comment comment-depth-0"') == BLOCK_SIZE
    assert f"{reverse('discussion:page', args=[wiki_page.pk])}#comments-title" in html
