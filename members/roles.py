"""The three groups of Quartiers and what each may do.

Used by the data migration that creates them and by `load_demo`.
"""

RESIDENTS = "Residents"
MODERATORS = "Moderators"
STAFF = "Staff"

# Page permissions granted on the root of the tree (so on every page).
PAGE_PERMISSIONS = {
    MODERATORS: ["change", "publish", "lock", "unlock"],
    STAFF: ["add", "change", "publish", "lock", "unlock", "delete"],
}
ADMIN_GROUPS = [MODERATORS, STAFF]
