"""What the Wagtail admin lets each role do with a wiki page: the public site's rules, applied there too.

A page's `protection` says who may change it (wiki.permissions): the admin
asks the same question before Wagtail's group permissions. A member who does
not meet a page's protection gets no action on it in the admin (edit, publish,
unpublish, delete, move, copy, lock, privacy); the protection field and the
page's privacy are staff's alone, and the protection a non-staff save keeps is
the one the page already had, whatever the form posts.
"""

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import PagePermissionTester, Revision

from wiki import permissions


def _stored_protection(page):
    """The protection of the page's database row (the edit view works on a revision's copy of the page)."""
    if not page.pk:
        return None
    return type(page).objects.filter(pk=page.pk).values_list("protection", flat=True).first()


def _latest_protection(page):
    """The protection of the page's latest version: its draft if it has one, else its database row."""
    row = type(page).objects.filter(pk=page.pk).values("protection", "has_unpublished_changes", "latest_revision_id")
    row = row.first()
    if row is None:
        return page.protection
    if row["has_unpublished_changes"] and row["latest_revision_id"]:
        content = Revision.objects.filter(pk=row["latest_revision_id"]).values_list("content", flat=True).first()
        return (content or {}).get("protection") or row["protection"]
    return row["protection"]


class ProtectedPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, with nothing allowed on a page whose protection the user does not meet.

    Both the protection of the copy being edited and the stored one count: reverting to an
    old revision that was open does not open a staff-only page to moderators.
    """

    def __init__(self, user, page):
        super().__init__(user, page)
        self.meets_protection = self._meets(user, page)
        if not self.meets_protection:
            self.permissions = set()

    @staticmethod
    def _meets(user, page):
        if not user.is_active:
            return False
        if permissions.is_staff_member(user):
            return True
        stored = _stored_protection(page)
        # A deferred field (a listing's page) would cost one more query: the stored value says it.
        current = page.__dict__.get("protection", stored)
        return all(permissions.meets_protection(user, protection) for protection in {current, stored} - {None})

    def can_edit(self):
        return self.meets_protection and super().can_edit()

    def can_lock(self):
        return self.meets_protection and super().can_lock()

    def can_unlock(self):
        return self.meets_protection and super().can_unlock()

    def can_set_view_restrictions(self):
        # Who may read a page is staff's decision, like who may edit it.
        return permissions.is_staff_member(self.user) and super().can_set_view_restrictions()


class MarkdownPageForm(WagtailAdminPageForm):
    """The admin form of wiki pages and projects: only staff see and change `protection`.

    For anyone else the field is left out of the form, so a forged POST cannot set it,
    and the page keeps the protection of its latest version (a revert to an older
    version does not bring back an older protection).
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not permissions.is_staff_member(for_user):
            self.fields.pop("protection", None)
            if self.instance.pk:
                self.instance.protection = _latest_protection(self.instance)
