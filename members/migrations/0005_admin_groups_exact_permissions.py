"""Give Moderators and Staff exactly the permissions of the README's roles table (members.roles).

Wagtail's own migrations create a "Moderators" group with add_page and image and
document rights; 0002 reused it. Here every page, model and collection
permission of the two groups is replaced by the lists in members.roles. Wagtail's
default "Editors" group, which Quartiers does not use, is removed when nobody is in it.
"""

from django.db import migrations

from members.roles import ADMIN_GROUPS, COLLECTION_PERMISSIONS, MODEL_PERMISSIONS, PAGE_PERMISSIONS


def _permission(apps, app_label, codename, model=None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    action, _sep, model_name = codename.partition("_")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model or model_name)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can {action} {model_name}"[:255]}
    )
    return permission


def set_exact_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name in ADMIN_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                _permission(apps, app_label, codename, model="admin" if codename == "access_admin" else None)
                for app_label, codename in MODEL_PERMISSIONS[name]
            ]
        )
        GroupPagePermission.objects.filter(group=group).delete()
        if root_page is not None:
            for action in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.create(
                    group=group, page=root_page, permission=_permission(apps, "wagtailcore", f"{action}_page")
                )
        GroupCollectionPermission.objects.filter(group=group).delete()
        if root_collection is not None:
            for app_label, codename in COLLECTION_PERMISSIONS[name]:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=_permission(apps, app_label, codename)
                )
    Group.objects.filter(name="Editors", user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_block_scoring_settings"),
        # Named, not "__latest__": Wagtail's migrations that grant permissions to its default groups run first.
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(set_exact_permissions, migrations.RunPython.noop)]
