from django.db import migrations

from members.roles import MODERATORS, PAGE_PERMISSIONS, RESIDENTS, STAFF


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (RESIDENTS, MODERATORS, STAFF)}

    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    for name in (MODERATORS, STAFF):  # the admin groups of the time; 0007 adds Senior moderators
        groups[name].permissions.add(access_admin)

    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for name, actions in PAGE_PERMISSIONS.items():
        if name not in groups:
            continue
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=page_type, codename=f"{action}_page", defaults={"name": f"Can {action} page"}
            )
            GroupPagePermission.objects.get_or_create(group=groups[name], page=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("wagtailadmin", "__latest__"),
        ("wagtailcore", "__latest__"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
