"""Signed credentials: Open Badges 3.0 VC-JWT, keys, did:web and the status list."""

import base64
import hashlib
import hmac
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from jwcrypto import jwk, jws

from certification import credentials, numbers, services
from certification.models import Certificate

BASE = "http://testserver"
DID = "did:web:testserver"


def _pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture(autouse=True)
def signing_key(monkeypatch):
    key = Ed25519PrivateKey.generate()
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", _pem(key))
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEY_FILE", raising=False)
    monkeypatch.delenv("CERTIFICATE_RETIRED_PUBLIC_KEYS", raising=False)
    return key


@pytest.fixture
def certificate(completed):
    enrolment, _course = completed
    return services.certificate_issue(enrolment=enrolment)


def _public_jwk(client) -> jwk.JWK:
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    return jwk.JWK(**keys[0])


def _download(client, certificate) -> str:
    response = client.get(f"/v/{certificate.printed_number}/credential.jwt")
    assert response.status_code == 200
    return response.content.decode()


def _jwcrypto_verify(token: str, key: jwk.JWK) -> dict:
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg="EdDSA")
    return json.loads(signed.payload)


def test_credential_verifies_independently_and_has_the_fields(client, certificate):
    response = client.get(f"/v/{certificate.printed_number}/credential.jwt")
    assert response["Content-Type"] == "application/jwt"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{certificate.printed_number}.jwt"'
    )
    token = response.content.decode()
    key = _public_jwk(client)
    payload = _jwcrypto_verify(token, key)

    header = json.loads(_unb64(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": f"{DID}#{key.thumbprint()}"}
    url = f"{BASE}/v/{certificate.printed_number}"
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["id"] == payload["sub"] == payload["jti"] == url
    assert payload["iss"] == DID
    assert payload["issuer"] == {"id": DID, "type": ["Profile"], "name": certificate.issuer}
    assert payload["nbf"] == payload["iat"] == int(certificate.issued_at.timestamp())
    assert payload["validFrom"].endswith("Z")
    assert "validUntil" not in payload and "exp" not in payload
    subject = payload["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Айгүл Маратқызы Омарова"
    achievement = subject["achievement"]
    assert achievement["id"] == f"{url}#achievement"
    assert achievement["name"] == certificate.course_title("ru")
    assert achievement["criteria"]["narrative"] == (
        f"Completed the course ({certificate.academic_hours} academic hours)"
    )
    assert payload["credentialStatus"] == {
        "id": f"{BASE}/.well-known/status-list#{certificate.pk}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.pk),
        "statusListCredential": f"{BASE}/.well-known/status-list",
    }
    body = _unb64(token.split(".")[1]).decode()
    assert "aigul@example.com" not in body
    assert "@" not in body.replace('"@context"', "")
    assert credentials.verify_credential(token).payload == payload


def test_expiry_becomes_valid_until_and_exp(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on="2030-06-30")
    payload = _jwcrypto_verify(_download(client, certificate), _public_jwk(client))
    assert payload["validUntil"].startswith("2030-06-")
    assert payload["exp"] > payload["iat"]


def test_tampered_payload_fails(client, certificate):
    header, payload, signature = _download(client, certificate).split(".")
    middle = len(payload) // 2
    flipped = "A" if payload[middle] != "A" else "B"
    tampered = f"{header}.{payload[:middle]}{flipped}{payload[middle + 1 :]}.{signature}"
    with pytest.raises(jws.InvalidJWSSignature):
        _jwcrypto_verify(tampered, _public_jwk(client))
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify_credential(tampered)


def test_a_different_key_fails(client, certificate, signing_key, monkeypatch):
    token = _download(client, certificate)
    other = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    with pytest.raises(jws.InvalidJWSSignature):
        _jwcrypto_verify(token, other)
    # Signed by another key but claiming our kid: refused by our own check too.
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", _pem(Ed25519PrivateKey.generate()))
    forged = credentials.credential_jwt(certificate, base_url=BASE)
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", _pem(signing_key))
    _header, payload, signature = forged.split(".")
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify_credential(f"{token.split('.')[0]}.{payload}.{signature}")
    with pytest.raises(credentials.InvalidCredential):  # its own, unknown kid
        credentials.verify_credential(forged)


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_alg_downgrade_is_rejected(client, certificate, signing_key, alg):
    token = _download(client, certificate)
    header = json.loads(_unb64(token.split(".")[0]))
    payload_segment = token.split(".")[1]
    raw_public = signing_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    forged_header = _b64(json.dumps({**header, "alg": alg}).encode())
    signing_input = f"{forged_header}.{payload_segment}"
    if alg == "none":
        signature = ""
    else:
        signature = _b64(hmac.new(raw_public, signing_input.encode(), hashlib.sha256).digest())
    forged = f"{signing_input}.{signature}"
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify_credential(forged)
    signed = jws.JWS()
    with pytest.raises((jws.InvalidJWSSignature, jws.InvalidJWSObject, jws.InvalidJWSOperation)):
        signed.deserialize(forged)
        signed.verify(_public_jwk(client))


def test_garbage_is_rejected(db):
    for token in ["", "a.b", "a.b.c", "...", "ey.ey.ey"]:
        with pytest.raises(credentials.InvalidCredential):
            credentials.verify_credential(token)


def test_jwks_and_did_document(client, db, signing_key):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    expected_x = _b64(
        signing_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    )
    assert {k: key[k] for k in ("kty", "crv", "x", "alg", "use")} == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": expected_x,
        "alg": "EdDSA",
        "use": "sig",
    }
    assert "d" not in key
    assert key["kid"] == jwk.JWK(**key).thumbprint()  # RFC 7638, SHA-256

    document = client.get("/.well-known/did.json").json()
    assert document["id"] == DID
    method = document["verificationMethod"][0]
    assert method["id"] == f"{DID}#{key['kid']}"
    assert method["type"] == "JsonWebKey2020"
    assert method["controller"] == DID
    assert method["publicKeyJwk"]["x"] == expected_x
    assert "d" not in method["publicKeyJwk"]
    assert document["assertionMethod"] == [method["id"]]


def test_issuer_did_encodes_the_port():
    assert credentials.issuer_did("https://example.org:8443/x") == "did:web:example.org%3A8443"
    assert credentials.issuer_did("https://Example.org") == "did:web:example.org"


def test_retired_keys_are_published_and_still_verify(client, certificate, monkeypatch):
    old_token = _download(client, certificate)
    old_x = client.get("/.well-known/jwks.json").json()["keys"][0]["x"]
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", _pem(Ed25519PrivateKey.generate()))
    monkeypatch.setenv("CERTIFICATE_RETIRED_PUBLIC_KEYS", old_x)
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert [k["x"] for k in keys][1:] == [old_x]
    assert len(client.get("/.well-known/did.json").json()["assertionMethod"]) == 2
    credentials.verify_credential(old_token)
    new_token = credentials.credential_jwt(certificate, base_url=BASE)
    credentials.verify_credential(new_token)
    monkeypatch.delenv("CERTIFICATE_RETIRED_PUBLIC_KEYS")
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify_credential(old_token)


def _status_bits(client) -> tuple[bytes, dict]:
    response = client.get("/.well-known/status-list")
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    payload = _jwcrypto_verify(response.content.decode(), _public_jwk(client))
    return credentials.decode_list(payload["credentialSubject"]["encodedList"]), payload


def _bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_status_list_tracks_revocation(client, certificate, home_pages):
    from courses import services as course_services
    from tests.factories import UserFactory

    second = services.certificate_issue(
        enrolment=course_services.enrolment_create(
            learner=UserFactory(), cohort=certificate.enrolment.cohort
        )
    )
    bits, payload = _status_bits(client)
    assert len(bits) * 8 >= 131_072
    assert not any(bits)
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert payload["credentialSubject"]["id"] == f"{BASE}/.well-known/status-list#list"
    assert payload["credentialSubject"]["type"] == "BitstringStatusList"
    assert payload["credentialSubject"]["statusPurpose"] == "revocation"
    assert payload["exp"] - payload["iat"] == 86_400
    assert payload["validUntil"] > payload["validFrom"]

    services.certificate_revoke(certificate=certificate, reason="fraud", note="", actor="x")
    bits, _payload = _status_bits(client)
    assert _bit(bits, certificate.pk)
    assert not _bit(bits, second.pk)
    assert sum(bin(byte).count("1") for byte in bits) == 1
    # A revoked certificate's credential is still served; its status bit says revoked.
    token = _download(client, certificate)
    index = int(credentials.verify_credential(token).payload["credentialStatus"]["statusListIndex"])
    assert _bit(bits, index)


def test_unknown_or_malformed_number_is_404(client, db):
    assert (
        client.get(f"/v/{numbers.format_number(numbers.new_number())}/credential.jwt").status_code
        == 404
    )
    assert client.get("/v/NOT-A-NUMBER/credential.jwt").status_code == 404


def test_dev_key_is_generated_once_with_mode_0600(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEY")
    settings.BASE_DIR = tmp_path
    settings.IS_PRODUCTION = False
    first = credentials.signing_key()
    path = tmp_path / "media" / ".keys" / "certificate-signing.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert credentials.key_id(credentials.signing_key().public_key()) == credentials.key_id(
        first.public_key()
    )


def test_key_file_and_production_without_key(settings, tmp_path, monkeypatch, signing_key):
    key_file = tmp_path / "key.pem"
    key_file.write_text(_pem(signing_key))
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEY")
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY_FILE", str(key_file))
    assert credentials.key_id(credentials.signing_key().public_key()) == credentials.key_id(
        signing_key.public_key()
    )
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEY_FILE")
    settings.IS_PRODUCTION = True
    settings.BASE_DIR = tmp_path
    with pytest.raises(ImproperlyConfigured):
        credentials.signing_key()
