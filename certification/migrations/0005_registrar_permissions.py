"""Registrars keep the certificate templates, issue by hand and in bulk; each
certificate records the cohort it was issued for.

Registrars may also add and choose library images (for a template's logo). Signatures
are uploaded with the template itself, not to the library.
"""

from django.db import migrations

GRANTS = {
    "Registrars": {
        "certificatetemplate": [
            "add_certificatetemplate",
            "change_certificatetemplate",
            "delete_certificatetemplate",
            "view_certificatetemplate",
        ],
        "bulkissuance": ["add_bulkissuance", "view_bulkissuance"],
    },
    "Methodologists": {"certificatetemplate": ["view_certificatetemplate"]},
}
IMAGE_PERMISSIONS = ["add_image", "choose_image"]


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


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    for group_name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codenames in models.items():
            for codename in codenames:
                group.permissions.add(_permission(apps, "certification", model, codename))
    registrars = Group.objects.get(name="Registrars")
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for codename in IMAGE_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=registrars,
                collection=root_collection,
                permission=_permission(apps, "wagtailimages", "image", codename),
            )


def backfill_cohorts(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    for certificate in Certificate.objects.filter(
        cohort__isnull=True, enrolment__isnull=False
    ).select_related("enrolment"):
        certificate.cohort_id = certificate.enrolment.cohort_id
        certificate.save(update_fields=["cohort"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0004_templates_bulk_issuance"),
        ("certification", "0002_role_permissions"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(backfill_cohorts, migrations.RunPython.noop),
    ]
