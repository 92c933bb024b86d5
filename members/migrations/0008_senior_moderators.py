"""Add the Senior moderators group and give every admin group exactly the permissions of members.roles.

Senior moderators open the admin like Moderators; warning, muting and blocking
members is granted in code (members.access.can_sanction). Staff may change
Settings > Moderation (whether Moderators may sanction too); moderators may not.
Re-runs 0005's function with the current roles.
"""

import importlib

from django.db import migrations


def set_exact_permissions(apps, schema_editor):
    exact = importlib.import_module("members.migrations.0005_admin_groups_exact_permissions")
    exact.set_exact_permissions(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("members", "0007_report_upheld_and_restored")]

    operations = [migrations.RunPython(set_exact_permissions, migrations.RunPython.noop)]
