"""Staff curate "À la une" and choose the video providers (members.roles lists these for new databases)."""

from django.db import migrations

PERMISSIONS = [
    ("selection", "add_selection"),
    ("selection", "change_selection"),
    ("selection", "delete_selection"),
    ("selection", "view_selection"),
    ("videosettings", "change_videosettings"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.filter(name="Staff").first()
    if staff is None:
        return
    for model, codename in PERMISSIONS:
        content_type, _created = ContentType.objects.get_or_create(app_label="gallery", model=model)
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
        )
        staff.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("gallery", "0001_initial"), ("members", "0005_admin_groups_exact_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
