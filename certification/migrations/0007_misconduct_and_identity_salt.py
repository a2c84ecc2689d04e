"""The revocation reason "fraud" becomes "misconduct", and every certificate gets its own
salt for the hashed holder identifier of its signed credential.

A callable default on AddField is evaluated once for all existing rows, so the column is
added empty, each existing certificate is given a salt of its own, and only then does
the field take its default for new certificates.
"""

import secrets

from django.db import migrations, models

import certification.models

BATCH = 1000


def fraud_to_misconduct(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    Certificate.objects.filter(revocation_reason="fraud").update(revocation_reason="misconduct")


def misconduct_to_fraud(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    Certificate.objects.filter(revocation_reason="misconduct").update(revocation_reason="fraud")


def salt_existing(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    while True:
        batch = list(Certificate.objects.filter(identity_salt="").only("pk")[:BATCH])
        if not batch:
            return
        for certificate in batch:
            certificate.identity_salt = secrets.token_hex(16)
        Certificate.objects.bulk_update(batch, ["identity_salt"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_signature_checked_upload"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="revocation_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("error", "issued in error"),
                    ("misconduct", "misconduct (academic dishonesty)"),
                    ("superseded", "superseded"),
                    ("other", "other"),
                ],
                max_length=12,
                verbose_name="reason",
            ),
        ),
        migrations.RunPython(fraud_to_misconduct, misconduct_to_fraud),
        migrations.AddField(
            model_name="certificate",
            name="identity_salt",
            field=models.CharField(default="", editable=False, max_length=32),
            preserve_default=False,
        ),
        migrations.RunPython(salt_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="identity_salt",
            field=models.CharField(
                default=certification.models.new_identity_salt, editable=False, max_length=32
            ),
        ),
    ]
