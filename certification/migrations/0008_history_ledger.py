"""The certificates' chain in the ledger starts with one entry ("baseline") for every
certificate that exists, holding its state as ``certification.history`` records it.

The state is copied here as it was when this migration was written, so later changes
to the live function cannot change what this migration does.
"""

from decimal import Decimal

from django.db import migrations

from lms.ledger import digest, ledger_append_many

CHAIN = "certificates"


def certificate_state(certificate):
    superseded_by = certificate.superseded_by
    return {
        "number": certificate.number,
        "holder": certificate.holder_id,
        "holder_name": certificate.holder_name,
        "course_key": str(certificate.course_key),
        "course_version": certificate.course_version,
        "course_titles": certificate.course_titles or {},
        "academic_hours": certificate.academic_hours,
        "cohort_name": certificate.cohort_name,
        "cohort_starts_on": certificate.cohort_starts_on,
        "cohort_ends_on": certificate.cohort_ends_on,
        "issued_at": certificate.issued_at,
        "expires_on": certificate.expires_on,
        "grade": None
        if certificate.grade is None
        else Decimal(certificate.grade).quantize(Decimal("0.01")),
        "issuer": certificate.issuer,
        "layout": digest(certificate.layout or {}),
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
        "revocation_note": certificate.revocation_note,
        "superseded_by": superseded_by.number if superseded_by else None,
    }


def record_existing(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    certificates = Certificate.objects.select_related("superseded_by").order_by("issued_at", "pk")
    ledger_append_many(
        chain=CHAIN,
        entries=(
            (f"certificate:{c.number}", "baseline", {"state": certificate_state(c)})
            for c in certificates.iterator(chunk_size=500)
        ),
        actor="migration",
        entry_model=apps.get_model("lms", "LedgerEntry"),
        head_model=apps.get_model("lms", "LedgerHead"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0007_misconduct_and_identity_salt"),
        ("lms", "0004_ledger"),
    ]

    operations = [migrations.RunPython(record_existing, migrations.RunPython.noop)]
