"""The registry keeps which template each course's certificates use (it was a field of
the course page): the choices made so far are copied here before the courses app
drops its field. The roles that could edit course pages make the choice; the form
offers the courses the user may edit."""

import django.db.models.deletion
from django.db import migrations, models

ROLES = ["Trainers", "Methodologists"]
CODENAMES = [
    "add_coursecertificatetemplate",
    "change_coursecertificatetemplate",
    "delete_coursecertificatetemplate",
    "view_coursecertificatetemplate",
]


def copy_choices(apps, schema_editor):
    CoursePage = apps.get_model("courses", "CoursePage")
    CourseCertificateTemplate = apps.get_model("certification", "CourseCertificateTemplate")
    CourseCertificateTemplate.objects.bulk_create(
        CourseCertificateTemplate(course_id=course_id, template_id=template_id)
        for course_id, template_id in CoursePage.objects.filter(
            certificate_template__isnull=False
        ).values_list("pk", "certificate_template_id")
    )


def copy_back(apps, schema_editor):
    CoursePage = apps.get_model("courses", "CoursePage")
    CourseCertificateTemplate = apps.get_model("certification", "CourseCertificateTemplate")
    for choice in CourseCertificateTemplate.objects.all():
        CoursePage.objects.filter(pk=choice.course_id).update(
            certificate_template_id=choice.template_id
        )


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="certification", model="coursecertificatetemplate"
    )
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        for codename in CODENAMES:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0009_bulk_issuance_takeover"),
        ("courses", "0005_coursepage_certificate_template"),
    ]
    # The copy reads the courses' field, so it runs before the courses app removes it.
    run_before = [("courses", "0006_remove_coursepage_certificate_template")]

    operations = [
        migrations.CreateModel(
            name="CourseCertificateTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "course",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="certificate_template_choice",
                        to="courses.coursepage",
                        verbose_name="course",
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="certification.certificatetemplate",
                        verbose_name="certificate template",
                    ),
                ),
            ],
            options={
                "verbose_name": "course certificate template",
                "verbose_name_plural": "course certificate templates",
            },
        ),
        migrations.RunPython(copy_choices, copy_back),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
