"""The certificates' tamper-evident history: the "certificates" chain of the ledger.

Every issue (on completion, by hand, in a bulk run, as a re-issue), revocation,
re-issue, change of expiry date and deletion appends an entry with the certificate's
state after it (:func:`certificate_state`) and the details of the action. Wagtail's log
entries stay the registry's readable history in the admin; this chain is the one that
shows whether anything was changed behind the registry's back: ``manage.py
verify_history`` compares each certificate with its latest entry.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils.translation import gettext as _
from wagtail.log_actions import log as log_action

from certification.models import Certificate
from lms.ledger import actor_label, digest, ledger_append, register_current_states
from lms.models import User
from lms.security import log_event

CHAIN = "certificates"
TWO_PLACES = Decimal("0.01")


def subject(certificate) -> str:
    return f"certificate:{certificate.number}"


def certificate_state(certificate) -> dict:
    """What the chain records of a certificate: everything it certifies and whether it
    stands. Reads plain fields only (and the number of the certificate that superseded
    it), so the data migration can run it on its historical model."""
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
        else Decimal(certificate.grade).quantize(TWO_PLACES),
        "issuer": certificate.issuer,
        "layout": digest(certificate.layout or {}),
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
        "revocation_note": certificate.revocation_note,
        "superseded_by": superseded_by.number if superseded_by else None,
    }


def record(*, certificate: Certificate, action: str, actor, details: dict | None = None) -> None:
    """Append the certificate's state after ``action`` to the chain, in the caller's
    transaction. The certificate is read again, so the entry holds what was stored."""
    stored = Certificate.objects.select_related("superseded_by").get(pk=certificate.pk)
    ledger_append(
        chain=CHAIN,
        subject=subject(stored),
        action=action,
        actor=actor_label(actor),
        payload={"state": certificate_state(stored), **(details or {})},
    )


def certificate_expiry_change(
    *, certificate: Certificate, expires_on: date | None, actor
) -> Certificate:
    """Change a standing certificate's expiry date (the one thing the registry's edit
    form changes), with Wagtail's edit log entry, an audit line and a ledger entry."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at:
            raise ValidationError(_("A revoked certificate cannot be changed."))
        previous = locked.expires_on
        changed = previous != expires_on
        if changed:
            locked.expires_on = expires_on
            locked.save(update_fields=["expires_on"])
        user = actor if isinstance(actor, User) else None
        log_action(locked, "wagtail.edit", user=user, content_changed=changed)
        if changed:
            record(
                certificate=locked,
                action="expiry_change",
                actor=actor,
                details={"previous": previous, "expires_on": expires_on},
            )
    if changed:
        log_event(
            "certificate_expiry_change",
            actor=actor_label(actor),
            number=locked.number,
            expires_on=str(expires_on),
        )
    return locked


def _record_deletion(sender, instance: Certificate, **kwargs) -> None:
    """A deleted certificate leaves an entry that says so (state: none)."""
    ledger_append(
        chain=CHAIN,
        subject=subject(instance),
        action="delete",
        actor="system",
        payload={"state": None},
    )


def current_states():
    """Every certificate in the registry with its state, for verify_history."""
    certificates = Certificate.objects.select_related("superseded_by").order_by("pk")
    for certificate in certificates.iterator(chunk_size=1000):
        yield subject(certificate), certificate_state(certificate)


def connect() -> None:
    register_current_states(CHAIN, current_states)
    post_delete.connect(_record_deletion, sender=Certificate, dispatch_uid="certificate_ledger")
