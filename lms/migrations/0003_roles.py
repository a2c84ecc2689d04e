"""Roles as groups: Learners, Trainers, Methodologists, Registrars, with their permissions.

Wagtail's sample groups (Editors, Moderators) are replaced: its default approval
workflow on the root page is handed to the Methodologists, so content that trainers
submit waits for a methodologist to approve and publish it.

Permissions are fetched with get_or_create because on a fresh database Django creates
them only after all migrations have run.
"""

from django.db import migrations

ROLES = ["Learners", "Trainers", "Methodologists", "Registrars"]
STAFF_ROLES = ["Trainers", "Methodologists", "Registrars"]
AUTHORS = ["Trainers", "Methodologists"]
PAGE_PERMISSIONS = {
    "Trainers": ["add_page", "change_page"],
    "Methodologists": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document"],
}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    for name in STAFF_ROLES:
        groups[name].permissions.add(access_admin)

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name],
                page=root_page,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
    for name in AUTHORS:
        for (app_label, model), codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )


    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    for task in GroupApprovalTask.objects.filter(name="Moderators approval"):
        task.name = "Methodologists approval"
        task.save(update_fields=["name"])
        task.groups.set([groups["Methodologists"]])
    Workflow.objects.filter(name="Moderators approval").update(name="Methodologists approval")
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_regions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
