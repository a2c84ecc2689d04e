"""The deploy check of the certificate signing key (certification/checks.py)."""

from django.core.checks import run_checks

from tests.environ import signing_key_pem


def _signing_key_messages():
    return [
        message
        for message in run_checks(include_deployment_checks=True)
        if message.id.startswith("certification.")
    ]


def _without_key(monkeypatch) -> None:
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEY", raising=False)
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEY_FILE", raising=False)


def test_a_missing_key_fails_the_deploy_checks(monkeypatch, settings, tmp_path):
    _without_key(monkeypatch)
    settings.PRIVATE_MEDIA_ROOT = tmp_path  # a development key there would not count either
    (message,) = _signing_key_messages()
    assert message.id == "certification.E002"
    assert "CERTIFICATE_SIGNING_KEY" in message.msg
    assert not (tmp_path / ".keys").exists()  # the check generated no key


def test_an_unreadable_key_file_fails_the_deploy_checks(monkeypatch, tmp_path):
    _without_key(monkeypatch)
    key_file = tmp_path / "signing.pem"
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY_FILE", str(key_file))
    (message,) = _signing_key_messages()
    assert message.id == "certification.E001" and "cannot be read" in message.msg

    key_file.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    (message,) = _signing_key_messages()
    assert message.id == "certification.E001" and "not a readable PEM" in message.msg


def test_a_key_that_is_not_ed25519_fails(monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    _without_key(monkeypatch)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", pem.decode())
    (message,) = _signing_key_messages()
    assert "Ed25519" in message.msg


def test_a_readable_key_passes(monkeypatch, tmp_path):
    _without_key(monkeypatch)
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", signing_key_pem())
    assert _signing_key_messages() == []
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEY")
    key_file = tmp_path / "signing.pem"
    key_file.write_text(signing_key_pem())
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY_FILE", str(key_file))
    assert _signing_key_messages() == []
