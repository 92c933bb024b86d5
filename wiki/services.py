"""What happens to wiki pages: create, edit, undo, restore, roll back, rename and move.

Every change is a new Wagtail revision attributed to the member and published
at once (so the Wagtail admin shows the same history), with its RevisionMeta,
and the engagement ledger gets its line (members.activity.record). Nothing is
ever deleted: undo, restore and rollback are new revisions that mark the
revisions they undo as reverted.

Edits carry the revision they started from. When another revision was saved
in between, the two edits are merged three ways (base, theirs, yours); if they
overlap, nothing is saved and `EditConflict` says what the other person changed.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page, Revision

from civic.params import parse_id
from members.activity import Kind, record
from members.models import Activity
from members.services import ensure_member
from wiki import diffs, permissions, ratelimits
from wiki.markup import clean_title, normalise_source
from wiki.models import BODY_MAX_LENGTH, RESERVED_SLUGS, MarkdownPage, ProjectPage, RevisionMeta, WikiPage
from wiki.ratelimits import RateLimited  # noqa: F401  (raised by the services below, caught by the views)
from wiki.themes import existing_theme_ids, theme_objects

PAGE_TYPES = {"wiki": WikiPage, "project": ProjectPage}
TITLE_MAX_LENGTH = 255


class InvalidRevision(Exception):
    """The revision id is not a revision of this page (stale, forged or mistyped)."""

    def __init__(self, message=None):
        super().__init__(message or _("This version of the page does not exist. Reload the page and try again."))


class EditConflict(Exception):
    """Another revision was saved since `base_revision` and the changes overlap.

    `latest_revision` is the one to start from again; `base_content` and
    `their_content` let the caller show the other person's change.
    """

    def __init__(self, *, page, base_revision, latest_revision, base_content, their_content, fields, message=None):
        self.page = page
        self.base_revision = base_revision
        self.latest_revision = latest_revision
        self.base_content = base_content
        self.their_content = their_content
        self.fields = fields
        super().__init__(
            message
            or _("Someone else saved this page while you were editing it, and your changes overlap with theirs.")
        )


@dataclass
class EditOutcome:
    page: Page
    revision: Revision | None  # None when there was nothing to save
    merged: bool = False

    @property
    def unchanged(self):
        return self.revision is None


# Reading content -----------------------------------------------------------


def page_content(page):
    """{"title", "body", facts...} of a page instance."""
    return page.content_of()


def revision_content(page_class, revision):
    """{"title", "body", facts...} of a revision, with typed values."""
    data = revision.content
    content = {"title": data.get("title") or "", "body": data.get("body") or ""}
    for name in page_class.fact_fields:
        content[name] = page_class._meta.get_field(name).to_python(data.get(name))
    content["themes"] = existing_theme_ids(data.get("themes"))  # a fact of every page (wiki.themes)
    return content


def page_revisions(page):
    """The revisions of a page, in Wagtail's own table."""
    return Revision.page_revisions.filter(object_id=str(page.pk))


def get_revision(page, revision_id):
    """The revision `revision_id` of `page`, or InvalidRevision."""
    revision_id = parse_id(revision_id)
    if revision_id is None:
        raise InvalidRevision()
    revision = page_revisions(page).filter(pk=revision_id).first()
    if revision is None:
        raise InvalidRevision()
    return revision


def previous_revision(page, revision):
    return page_revisions(page).filter(pk__lt=revision.pk).order_by("-pk").first()


def content_change(before, after):
    """Characters changed between two contents, whitespace ignored (for the ledger).

    Linear in the size of the texts (wiki.diffs.change_size): lines are compared first, and a
    changed line counts the characters between its common beginning and end, an upper bound
    when one line has several changes far apart.
    """
    total = diffs.change_size(before.get("title", ""), after.get("title", ""))
    total += diffs.change_size(before.get("body", ""), after.get("body", ""))
    for name in after:
        if name not in ("title", "body") and before.get(name) != after.get(name):
            total += max(1, diffs.change_size(str(before.get(name) or ""), str(after.get(name) or "")))
    return total


# Checking input -------------------------------------------------------------


def _clean_input(title, body, summary):
    title = clean_title(title or "")
    body = normalise_source(body)
    errors = {}
    if not title:
        errors["title"] = _("Give the page a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = ngettext(
            "A title has at most %(max)d character.", "A title has at most %(max)d characters.", TITLE_MAX_LENGTH
        ) % {"max": TITLE_MAX_LENGTH}
    if len(body) > BODY_MAX_LENGTH:
        errors["body"] = ngettext(
            "The text is too long: %(size)d character, at most %(max)d.",
            "The text is too long: %(size)d characters, at most %(max)d.",
            len(body),
        ) % {
            "size": len(body),
            "max": BODY_MAX_LENGTH,
        }
    if errors:
        raise ValidationError(errors)
    return title, body, " ".join((summary or "").split())[:255]


def slug_for(title):
    slug = slugify(title)[:200].strip("-")
    if not slug:
        raise ValidationError({"title": _("A title needs at least one letter or digit.")})
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-page"
    return slug


def _lock(page, *, revision=True):
    """Lock the page row for the transaction and return a fresh specific instance (with a revision, `revision`)."""
    list(Page.objects.select_for_update().filter(pk=page.pk).values_list("pk", flat=True))
    page = page.specific_class.objects.get(pk=page.pk)
    if revision:
        current_revision(page)
    return page


def current_revision(page):
    """The page's latest revision; a page made in code without one gets it now (attributed to nobody).

    Only wiki pages take the wiki's `summary`; other pages (a place made
    without a revision) get a plain Wagtail revision.
    """
    if page.latest_revision_id is None:
        page = page.specific
        if isinstance(page, MarkdownPage):
            page.save_revision(user=None, changed=False, summary="")
        else:
            page.save_revision(user=None, changed=False)
    return page.latest_revision


def _facts(page_class, facts):
    """The facts an edit may set: the page type's fact fields, and the themes of any page (as ids)."""
    facts = {name: value for name, value in (facts or {}).items() if name in (*page_class.fact_fields, "themes")}
    if "themes" in facts:
        facts["themes"] = existing_theme_ids(facts["themes"])
    return facts


def _apply(page, content):
    for name, value in content.items():
        setattr(page, name, theme_objects(value) if name == "themes" else value)
    page.draft_title = page.title


def _save(page, user, *, summary, action, merged=False, reverts=None, log_action=True):
    """Save a revision attributed to `user` and publish it."""
    # clean=False: publishing saves the page, which validates it anyway.
    revision = page.save_revision(
        user=user, log_action=log_action, summary=summary, action=action, merged=merged, reverts=reverts, clean=False
    )
    # The wiki decided who may publish (wiki.permissions); Wagtail's page permissions are for the admin.
    revision.publish(user=user, skip_permission_checks=True)
    return revision


# Creating and editing ------------------------------------------------------------


@transaction.atomic
def create_page(member_user, parent, title, body, summary="", *, page_type="wiki", facts=None):
    """A new wiki page (or project, `page_type="project"`) under `parent`, published at once."""
    parent = parent.specific
    page_class = PAGE_TYPES.get(page_type)
    if page_class is None:
        raise ValidationError(_("Unknown kind of page."))
    if not permissions.can_create(member_user, parent):
        raise PermissionDenied(_("You cannot create a page here."))
    if not page_class.can_create_at(parent):
        raise ValidationError(
            _("A %(kind)s cannot be created under “%(parent)s”.")
            % {"kind": page_class._meta.verbose_name, "parent": parent.title}
        )
    title, body, summary = _clean_input(title, body, summary)
    slug = slug_for(title)
    facts = _facts(page_class, facts)

    # One creation at a time under a parent: the slug check below stays true until we add the page.
    parent = _lock(parent, revision=False)
    sibling = parent.get_children().filter(slug=slug).first()
    if sibling is not None:
        raise ValidationError(
            {
                "title": _(
                    "There is already a page called “%(title)s” here, at the same address. "
                    "Choose another title, or edit that page."
                )
                % {"title": sibling.title}
            }
        )
    ratelimits.check(member_user, new_page=True)
    page = page_class(title=title, slug=slug, body=body, owner=member_user, live=False)
    _apply(page, facts)
    parent.add_child(instance=page)
    revision = _save(page, member_user, summary=summary, action=RevisionMeta.Action.CREATE, log_action="wagtail.create")
    kind = Kind.PROJECT_CREATED if page_class is ProjectPage else Kind.PAGE_CREATED
    content = page_content(page)
    record(
        ensure_member(member_user),
        kind,
        page=page,
        revision=revision,
        chars_changed=content_change({}, content),
        facts={"summary": summary, "whitespace_only": False},
    )
    page.refresh_from_db()
    from wiki import follows

    follows.follow(member_user, page)  # the author gets others' changes in their digest (wiki.follows)
    return page


def _three_way(base, yours, theirs):
    """Merge two contents field by field (the body line by line): (content, conflicting field names)."""
    merged, conflicts = {}, []
    for name in yours:
        if name == "body":
            result = diffs.merge_text(base.get("body", ""), yours["body"], theirs.get("body", ""))
            merged[name], conflict = result.text, result.conflict
        else:
            merged[name], conflict = diffs.merge_value(base.get(name), yours[name], theirs.get(name))
        if conflict:
            conflicts.append(name)
    return merged, conflicts


def _record_edit(user, page, revision, before, after, **facts):
    """The EDIT ledger line of `revision`, sized by what it changed from `before` to `after`."""
    chars = content_change(before, after)
    facts = {"whitespace_only": chars == 0, **facts}
    return record(ensure_member(user), Kind.EDIT, page=page, revision=revision, chars_changed=chars, facts=facts)


@transaction.atomic
def edit_page(user, page, *, base_revision_id, title, body, summary="", facts=None):
    """Save a member's edit of `page` started from revision `base_revision_id`.

    Returns an EditOutcome (`merged` when another edit was merged in,
    `unchanged` when there was nothing to save). Raises PermissionDenied,
    ValidationError (bad input), InvalidRevision (unknown base revision),
    EditConflict (overlapping concurrent edit: nothing saved) or RateLimited.
    Only the text and facts change: the page's protection stays as it is.
    """
    if not permissions.can_edit(user, page):
        raise PermissionDenied(_("You cannot edit this page."))
    title, body, summary = _clean_input(title, body, summary)
    page = _lock(page)
    if not permissions.can_edit(user, page):  # the protection may have changed meanwhile
        raise PermissionDenied(_("You cannot edit this page."))
    facts = _facts(page, facts)
    base = get_revision(page, base_revision_id)
    from wiki.moderation import is_hidden  # moderation builds on this module

    if base.pk != page.latest_revision_id and not permissions.can_hide(user) and is_hidden(page, base.pk):
        # A forged base would show the hidden text back in the conflict view.
        raise InvalidRevision(_("This version is not available. Start again from the current version."))
    latest = page.latest_revision
    page_class = page.specific_class
    theirs = revision_content(page_class, latest)
    yours = {**revision_content(page_class, base), "title": title, "body": body, **facts}

    merged = False
    if base.pk != latest.pk:
        base_content = revision_content(page_class, base)
        content, conflicts = _three_way(base_content, yours, theirs)
        if conflicts:
            raise EditConflict(
                page=page,
                base_revision=base,
                latest_revision=latest,
                base_content=base_content,
                their_content=theirs,
                fields=conflicts,
            )
        merged = content != yours
    else:
        content = yours

    if content == theirs:
        return EditOutcome(page=page, revision=None, merged=merged)

    ratelimits.check(user)
    _apply(page, content)
    revision = _save(page, user, summary=summary, action=RevisionMeta.Action.EDIT, merged=merged)
    _record_edit(user, page, revision, theirs, content, summary=summary, merged=merged)
    return EditOutcome(page=page, revision=revision, merged=merged)


# Reverting -------------------------------------------------------------------


def _mark_reverted(user, page, revisions, by):
    """Mark `revisions` reverted by revision `by`, with a REVERTED ledger line for each edit line."""
    ids = [revision.pk for revision in revisions]
    metas = RevisionMeta.objects.filter(revision_id__in=ids, reverted=False)
    newly_reverted = list(metas.values_list("revision_id", flat=True))
    metas.update(reverted=True, reverted_by=by)
    member = ensure_member(user)
    for line in Activity.objects.filter(revision_id__in=newly_reverted, kind=Kind.EDIT).order_by("pk"):
        record(
            member,
            Kind.REVERTED,
            page=page,
            revision=by,
            concerns=line,
            facts={"reverted_revision": line.revision_id, "reverting_revision": by.pk},
        )
    return newly_reverted


def _save_revert(user, page, content, current, *, summary, action, reverts):
    """Save an undo, restore or rollback as a new revision, with its EDIT ledger line.

    Reverting someone else's edit is a contribution like any other edit (sized
    by what it changes); reverting one's own earns nothing: the REVERTED lines
    `_mark_reverted` adds for the same revision let members.scoring (rule 4)
    tell the two apart.
    """
    if content == current:
        raise ValidationError(_("The page already reads like this: there is nothing to change."))
    ratelimits.check(user)  # an undo or a restore counts as an edit
    _apply(page, content)
    revision = _save(page, user, summary=summary, action=action, reverts=reverts)
    _record_edit(user, page, revision, current, content, summary=summary, revert=action)
    return revision


@transaction.atomic
def undo(user, page, revision_id, *, summary=""):
    """Undo one revision, keeping the edits made after it (three-way merge).

    Raises EditConflict when later edits changed the same lines: nothing is saved.
    """
    if not permissions.can_edit(user, page):
        raise PermissionDenied(_("You cannot edit this page."))
    page = _lock(page)
    page_class = page.specific_class
    target = get_revision(page, revision_id)
    before = previous_revision(page, target)
    if before is None:
        raise ValidationError(_("The creation of a page cannot be undone."))
    latest = page.latest_revision
    current = revision_content(page_class, latest)
    undone = revision_content(page_class, target)
    wanted = revision_content(page_class, before)
    # Reverse the change target made: base = target, yours = today's text, theirs = the text before target.
    content, conflicts = _three_way(undone, current, wanted)
    if conflicts:
        raise EditConflict(
            page=page,
            base_revision=target,
            latest_revision=latest,
            base_content=undone,
            their_content=current,
            fields=conflicts,
            message=_("This edit cannot be undone automatically: later edits changed the same lines."),
        )
    revision = _save_revert(
        user, page, content, current, summary=" ".join(summary.split()), action=RevisionMeta.Action.UNDO, reverts=target
    )
    _mark_reverted(user, page, [target], revision)
    return EditOutcome(page=page, revision=revision)


@transaction.atomic
def restore(user, page, revision_id, *, summary=""):
    """Make an old revision the current text again; the revisions after it are marked reverted."""
    if not permissions.can_edit(user, page):
        raise PermissionDenied(_("You cannot edit this page."))
    page = _lock(page)
    page_class = page.specific_class
    target = get_revision(page, revision_id)
    current = revision_content(page_class, page.latest_revision)
    later = list(page_revisions(page).filter(pk__gt=target.pk).only("pk"))
    revision = _save_revert(
        user,
        page,
        revision_content(page_class, target),
        current,
        summary=" ".join(summary.split()),
        action=RevisionMeta.Action.RESTORE,
        reverts=target,
    )
    _mark_reverted(user, page, later, revision)
    return EditOutcome(page=page, revision=revision)


@transaction.atomic
def rollback(user, page):
    """Moderators: undo all the consecutive latest revisions by the last editor in one go."""
    if not permissions.can_rollback_on(user, page):
        raise PermissionDenied(_("Only moderators can roll back."))
    page = _lock(page)
    page_class = page.specific_class
    latest = page.latest_revision
    rolled, target = [], None
    for revision in page_revisions(page).order_by("-pk").only("pk", "user_id").iterator(chunk_size=50):
        if revision.user_id != latest.user_id:
            target = revision
            break
        rolled.append(revision)
    if target is None:
        raise ValidationError(_("Nobody else edited this page: there is no earlier version to roll back to."))
    revision = _save_revert(
        user,
        page,
        revision_content(page_class, target),
        revision_content(page_class, latest),
        summary="",
        action=RevisionMeta.Action.ROLLBACK,
        reverts=target,
    )
    _mark_reverted(user, page, rolled, revision)
    return EditOutcome(page=page, revision=revision)


# Renaming and moving ------------------------------------------------------------------


@transaction.atomic
def move_page(user, page, *, title, parent, summary=""):
    """Give a page a new title (and so a new address) and/or a new place in the tree.

    The old addresses keep working: Wagtail's redirects app records a redirect
    for the page and its descendants (wagtail.contrib.redirects, automatic
    redirects). The change is a new revision, so the history shows it.
    """
    if not permissions.can_edit(user, page):
        raise PermissionDenied(_("You cannot edit this page."))
    title, _body, summary = _clean_input(title, "", summary)
    page = _lock(page)
    parent = Page.objects.get(pk=parent.pk).specific  # fresh: treebeard trusts numchild in memory
    current_parent = page.get_parent()
    if parent.pk == page.pk or parent.is_descendant_of(page) or not page.can_move_to(parent):
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot be placed under “%(parent)s”.")
                % {"kind": page._meta.verbose_name, "parent": parent.title}
            }
        )
    if not permissions.can_create(user, parent):
        raise PermissionDenied(_("You cannot create a page here."))
    slug = page.slug if title == page.title else slug_for(title)
    if parent.get_children().filter(slug=slug).exclude(pk=page.pk).exists():
        raise ValidationError(
            {
                "title": _("There is already a page at this address under “%(parent)s”. Choose another title.")
                % {"parent": parent.title}
            }
        )
    if title == page.title and parent.pk == current_parent.pk:
        raise ValidationError(_("The title and the place are the same as before: there is nothing to change."))

    ratelimits.check(user)
    old_url = page.url_path
    before = revision_content(page.specific_class, page.latest_revision)
    if parent.pk != current_parent.pk:
        MovePageAction(page, parent, pos="last-child", user=user).execute(skip_permission_checks=True)
        page = page.specific_class.objects.get(pk=page.pk)
    page.title, page.slug, page.draft_title = title, slug, title
    revision = _save(page, user, summary=summary, action=RevisionMeta.Action.MOVE)
    page = page.specific_class.objects.get(pk=page.pk)
    record(
        ensure_member(user),
        Kind.EDIT,
        page=page,
        revision=revision,
        chars_changed=diffs.change_size(before["title"], title),
        facts={"summary": summary, "whitespace_only": False, "moved": {"from": old_url, "to": page.url_path}},
    )
    return EditOutcome(page=page, revision=revision)
