"""System checks of the registry's configuration (``manage.py check --deploy``)."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from certification.credentials import configured_signing_key


@register(Tags.security, deploy=True)
def signing_key_check(app_configs, **kwargs) -> list[Error]:
    """The certificate signing key is set and readable: without it every credential,
    the JWKS, the DID document and the status list answer 500."""
    try:
        key = configured_signing_key()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="Give CERTIFICATE_SIGNING_KEY an Ed25519 private key in PEM (PKCS#8), "
                "or CERTIFICATE_SIGNING_KEY_FILE the path of a file holding one that this "
                "process can read.",
                id="certification.E001",
            )
        ]
    if key is None:
        return [
            Error(
                "No certificate signing key: neither CERTIFICATE_SIGNING_KEY nor "
                "CERTIFICATE_SIGNING_KEY_FILE is set.",
                hint="Generate one with `openssl genpkey -algorithm ed25519` and keep it "
                "in a secret store; see the README's production section.",
                id="certification.E002",
            )
        ]
    return []
