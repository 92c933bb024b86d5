"""Comments through the personal-data registry: the export lists them, the erasure keeps public ones."""

from discussion import services
from discussion.models import Comment, CommentVersion
from members import personal_data
from tests.discussion.conftest import LONG


def test_export_lists_the_members_comments_and_their_versions(wiki_page, resident, other_resident):
    comment = services.post_comment(resident, wiki_page, LONG)
    services.edit_comment(resident, comment, LONG + " Modifié.")
    services.post_comment(other_resident, wiki_page, "Le commentaire de quelqu'un d'autre.", parent=comment)
    data = personal_data.export(resident.member)["discussion_comments"]
    assert len(data) == 1
    assert data[0]["text"] == LONG + " Modifié."
    assert data[0]["page"] == wiki_page.title
    assert [version["text"] for version in data[0]["earlier_versions"]] == [LONG]


def test_erasure_keeps_public_comments_and_empties_deleted_ones(wiki_page, resident, other_resident):
    from members.services import delete_account

    kept = services.post_comment(resident, wiki_page, LONG)
    gone = services.post_comment(resident, wiki_page, LONG + " à effacer")
    services.edit_comment(resident, gone, LONG + " à effacer, corrigé")
    services.delete_comment(resident, gone)
    reply = services.post_comment(other_resident, wiki_page, LONG, parent=kept)
    delete_account(resident)
    assert Comment.objects.get(pk=kept.pk).body == LONG
    assert Comment.objects.get(pk=gone.pk).body == ""
    assert not CommentVersion.objects.filter(comment=gone).exists()
    assert Comment.objects.get(pk=reply.pk).parent_id == kept.pk
    kept.refresh_from_db()
    assert not kept.author.is_active and "@" not in kept.author.member.pseudonym


def test_the_registry_covers_the_comment_author():
    assert personal_data.covered_fields()["discussion.Comment.author"] == "discussion_comments"
