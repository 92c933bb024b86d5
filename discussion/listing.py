"""Reading a discussion: a page of conversations with their replies, in a fixed number of queries.

Conversations (comments on the page, depth 0) come newest first, a page at a
time; their replies (depth 1 and 2) come in one more query, oldest first under
the comment they answer. Held and hidden comments are not listed, nor the
replies under them; a member sees their own held comments, marked as waiting for a moderator.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from discussion import services
from discussion.models import Comment, CommentVersion

PER_PAGE = 20
BLOCK_SIZE = 5  # conversations shown below the page itself


@dataclass
class Entry:
    """One comment as shown: the comment and the comments answering it."""

    comment: Comment
    replies: list = field(default_factory=list)


def comment_count(page):
    """The number of comments shown on `page` ("N comments"): published, not deleted."""
    return Comment.objects.counted().filter(page_id=page.pk).count()


def _comments(user):
    shown = Q(state=Comment.State.PUBLISHED)
    if user is not None and user.is_authenticated:
        shown |= Q(state=Comment.State.HELD, author_id=user.pk)
    comments = Comment.objects.filter(shown).select_related("author__member")
    if services.can_read_versions(user):
        comments = comments.prefetch_related(Prefetch("versions", queryset=CommentVersion.objects.order_by("pk")))
    return comments


def _threads(page, user):
    return _comments(user).filter(page_id=page.pk, depth=0).order_by("-created_at", "-pk")


def _with_replies(threads, user):
    """[Entry] of the `threads` (comments of depth 0), each with its replies (one query)."""
    entries = {comment.pk: Entry(comment) for comment in threads}
    replies = _comments(user).filter(thread_id__in=list(entries)).order_by("created_at", "pk")
    for reply in replies:
        entries[reply.pk] = entry = Entry(reply)
        parent = entries.get(reply.parent_id)
        if parent is not None:  # else its parent is held or hidden: the reply goes with it
            parent.replies.append(entry)
    return [entries[comment.pk] for comment in threads]


def conversations(page, user, number=1, per_page=PER_PAGE):
    """A Paginator page of `page`'s conversations; each item of `object_list` is an Entry with its replies."""
    page_obj = Paginator(_threads(page, user), per_page).get_page(number)
    page_obj.object_list = _with_replies(list(page_obj.object_list), user)
    return page_obj


def latest_conversations(page, user, size=BLOCK_SIZE):
    """([Entry], more): the `size` latest conversations and whether older ones exist, without counting them."""
    threads = list(_threads(page, user)[: size + 1])
    return _with_replies(threads[:size], user), len(threads) > size


def page_of_thread(comment, per_page=PER_PAGE):
    """The number of the discussion page that shows `comment`'s conversation."""
    thread = comment.thread if comment.thread_id else comment
    newer = Comment.objects.listed().filter(page_id=comment.page_id, depth=0, created_at__gt=thread.created_at).count()
    return newer // per_page + 1
