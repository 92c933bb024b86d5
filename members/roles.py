"""The roles of Quartiers and what each may do in the Wagtail admin (the README's roles table).

Residents, Moderators, Senior moderators and Staff are groups; a superuser may do everything.
The data migrations set the admin groups' permissions to exactly
PAGE_PERMISSIONS, MODEL_PERMISSIONS and COLLECTION_PERMISSIONS; `load_demo`
uses the group names. A page's protection narrows the page permissions further
(wiki.admin_pages): a staff-only page is staff's alone, and only staff change a
protection or a page's privacy.
"""

RESIDENTS = "Residents"
MODERATORS = "Moderators"
# The senior tier of moderation: moderators who also warn, mute and block members and review appeals
# of those sanctions (members.access.can_sanction). Same admin rights as Moderators otherwise.
SENIOR_MODERATORS = "Senior moderators"
STAFF = "Staff"

# Page permissions granted on the root of the tree (so on every page). Moderators
# edit and publish existing pages; only staff create, delete or move them.
PAGE_PERMISSIONS = {
    MODERATORS: ["change", "publish", "lock", "unlock"],
    SENIOR_MODERATORS: ["change", "publish", "lock", "unlock"],
    STAFF: ["add", "change", "publish", "lock", "unlock", "delete"],
}
# Model permissions (app label, codename) of each admin group, and nothing else.
# Patrol, hiding versions, blocks, the engaged-residents report and workshop
# invitations are granted by group membership in code (wiki.permissions,
# members.permissions, workshops.permissions), not by these.
MODEL_PERMISSIONS = {
    MODERATORS: [("wagtailadmin", "access_admin")],
    SENIOR_MODERATORS: [("wagtailadmin", "access_admin")],
    STAFF: [
        ("wagtailadmin", "access_admin"),
        ("wiki", "add_theme"),
        ("wiki", "change_theme"),
        ("wiki", "delete_theme"),
        ("wiki", "view_theme"),
        ("wiki", "change_wikisettings"),
        ("members", "change_scoringsettings"),
        ("gallery", "add_selection"),
        ("gallery", "change_selection"),
        ("gallery", "delete_selection"),
        ("gallery", "view_selection"),
        ("gallery", "change_videosettings"),
        ("members", "change_moderationsettings"),
        ("wagtailredirects", "add_redirect"),
        ("wagtailredirects", "change_redirect"),
        ("wagtailredirects", "delete_redirect"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "delete_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "delete_document"),
        ("wagtaildocs", "choose_document"),
    ],
}
# Image and document permissions on the root collection.
COLLECTION_PERMISSIONS = {
    MODERATORS: [],
    SENIOR_MODERATORS: [],
    STAFF: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
}
ADMIN_GROUPS = [MODERATORS, SENIOR_MODERATORS, STAFF]
