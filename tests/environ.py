"""The environment production settings need to start, for tests that start them."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SITE_URL = "https://akim.example.kz"


def signing_key_pem() -> str:
    """A fresh Ed25519 private key in PEM (PKCS#8), as CERTIFICATE_SIGNING_KEY holds."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def production_environ(**overrides: str) -> dict[str, str]:
    """What production refuses to start without: a secret key, SITE_URL and a signing
    key; ``overrides`` replace or add variables."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "production-like-secret-key-9f8e7d6c5b4a3",
        "SITE_URL": SITE_URL,
        "CERTIFICATE_SIGNING_KEY": signing_key_pem(),
        **overrides,
    }
