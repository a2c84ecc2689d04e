"""Signed credentials: Open Badges 3.0 VC-JWT, keys, did:web and the status list."""

import base64
import hashlib
import hmac
import json
import os
import stat
from urllib.parse import unquote

import jsonschema
import jwt
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


def _header(token: str) -> dict:
    return json.loads(_unb64(token.split(".")[0]))


def _jwcrypto_verify(token: str, key: jwk.JWK) -> dict:
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg="EdDSA")
    return json.loads(signed.payload)


# Two verifiers that share no code with ours --------------------------------------------


def _jwks_key(client, token: str) -> jwk.JWK:
    """jwcrypto, as a relying party does it: the key whose ``kid`` is the header's, from
    the issuer's JWKS."""
    keyset = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").content)
    key = keyset.get_key(_header(token)["kid"])
    assert key is not None, "the JWKS has no key with the header's kid"
    return key


def jwcrypto_verify(client, token: str) -> dict:
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(_jwks_key(client, token))  # the algorithm is the header's to name
    return json.loads(signed.payload)


def _resolve_did_web(client, kid: str) -> dict:
    """did:web resolution: ``did:web:<host>`` is ``https://<host>/.well-known/did.json``
    (fetched here through the test client); the key is the verification method whose
    ``id`` is the ``kid``, and it must be one the DID may sign credentials with."""
    did = kid.split("#", 1)[0]
    assert did.startswith("did:web:") and ":" not in did.removeprefix("did:web:")
    host = unquote(did.removeprefix("did:web:"))
    document = client.get("/.well-known/did.json", HTTP_HOST=host).json()
    assert document["id"] == did
    method = next(m for m in document["verificationMethod"] if m["id"] == kid)
    assert method["controller"] == did and kid in document["assertionMethod"]
    return method["publicKeyJwk"]


def pyjwt_verify(client, token: str) -> dict:
    key = jwt.PyJWK(_resolve_did_web(client, jwt.get_unverified_header(token)["kid"]))
    return jwt.decode(token, key=key, algorithms=["EdDSA"])


JWCRYPTO_REFUSES = (jws.InvalidJWSSignature, jws.InvalidJWSObject, jws.InvalidJWSOperation)


# What Open Badges 3.0 requires of an OpenBadgeCredential, in our words ----------------
#
# Read from the specification and its JSON schema (1EdTech/openbadges-specification,
# docs/schema/achievementcredential.json). The stored versions of that schema still name
# the issue date ``issuanceDate`` (VC Data Model 1.1); OB 3.0.3 moved to VC 2.0, where
# it is ``validFrom``, the name our credential uses with the VC 2.0 context. The newest
# schema lets AchievementSubject carry more properties (the holder's ``name``); an
# IdentityObject carries only its own.

OB3_CREDENTIAL = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["@context", "id", "type", "name", "credentialSubject", "issuer", "validFrom"],
    "properties": {
        "@context": {
            "type": "array",
            "prefixItems": [
                {"const": "https://www.w3.org/ns/credentials/v2"},
                {"type": "string", "pattern": "^https://purl.imsglobal.org/spec/ob/v3p0/"},
            ],
        },
        "id": {"type": "string", "minLength": 1},
        "type": {
            "type": "array",
            "allOf": [
                {"contains": {"const": "VerifiableCredential"}},
                {"contains": {"enum": ["OpenBadgeCredential", "AchievementCredential"]}},
            ],
        },
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "issuer": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {"type": {"type": "array", "contains": {"const": "Profile"}}},
        },
        "validFrom": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
        "credentialSubject": {"$ref": "#/$defs/AchievementSubject"},
        "credentialStatus": {"type": "object", "required": ["id", "type"]},
    },
    "$defs": {
        "AchievementSubject": {
            "type": "object",
            "required": ["type", "achievement"],
            # Either an id or at least one identifier names the recipient.
            "anyOf": [{"required": ["id"]}, {"required": ["identifier"]}],
            "properties": {
                "type": {"type": "array", "contains": {"const": "AchievementSubject"}},
                "identifier": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"$ref": "#/$defs/IdentityObject"},
                },
                "achievement": {"$ref": "#/$defs/Achievement"},
            },
        },
        "IdentityObject": {
            "type": "object",
            "required": ["type", "hashed", "identityHash", "identityType"],
            "additionalProperties": False,
            "properties": {
                "type": {"const": "IdentityObject"},
                "hashed": {"type": "boolean"},
                # "md5" or "sha256", a dollar sign, the hash in hexadecimal.
                "identityHash": {
                    "type": "string",
                    "pattern": "^(sha256\\$[0-9a-fA-F]{64}|md5\\$[0-9a-fA-F]{32})$",
                },
                "identityType": {"type": "string"},
                "salt": {"type": "string"},
            },
        },
        "Achievement": {
            "type": "object",
            "required": ["id", "type", "criteria", "description", "name"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "type": {"type": "array", "contains": {"const": "Achievement"}},
                "name": {"type": "string", "minLength": 1},
                "description": {"type": "string", "minLength": 1},
                # Criteria: a URI of the criteria, or a narrative of them.
                "criteria": {
                    "type": "object",
                    "anyOf": [{"required": ["id"]}, {"required": ["narrative"]}],
                    "properties": {"narrative": {"type": "string", "minLength": 1}},
                },
            },
        },
    },
}


def ob3_problems(credential: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(OB3_CREDENTIAL)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)]


def test_credential_verifies_independently_and_has_the_fields(client, certificate):
    response = client.get(f"/v/{certificate.printed_number}/credential.jwt")
    assert response["Content-Type"] == "application/jwt"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{certificate.printed_number}.jwt"'
    )
    token = response.content.decode()
    key = _jwks_key(client, token)
    payload = jwcrypto_verify(client, token)
    assert pyjwt_verify(client, token) == payload

    header = _header(token)
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": f"{DID}#{key.thumbprint()}"}
    url = f"{BASE}/v/{certificate.printed_number}"
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["id"] == payload["sub"] == payload["jti"] == url
    assert payload["iss"] == DID
    issuer = certificate.issuer_name("ru")  # the holder's language
    assert payload["issuer"] == {"id": DID, "type": ["Profile"], "name": issuer}
    assert payload["nbf"] == payload["iat"] == int(certificate.issued_at.timestamp())
    assert payload["validFrom"].endswith("Z")
    assert "validUntil" not in payload and "exp" not in payload
    course = certificate.course_title("ru")
    assert payload["name"] == f"Сертификат: {course}"
    assert certificate.printed_number in payload["description"]
    subject = payload["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Айгүл Маратқызы Омарова"
    achievement = subject["achievement"]
    assert achievement["id"] == f"urn:uuid:{certificate.course_key}"
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == course
    assert "72" in achievement["description"]
    assert course in achievement["criteria"]["narrative"]
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


def test_the_credential_has_what_open_badges_3_requires(client, certificate):
    payload = pyjwt_verify(client, _download(client, certificate))
    assert ob3_problems(payload) == []


@pytest.mark.parametrize(
    "path",
    [
        ("name",),
        ("validFrom",),
        ("credentialSubject", "identifier"),
        ("credentialSubject", "achievement", "description"),
        ("credentialSubject", "achievement", "criteria"),
        ("credentialSubject", "achievement", "id"),
        ("credentialSubject", "identifier", 0, "hashed"),
    ],
)
def test_the_requirements_check_notices_what_is_missing(client, certificate, path):
    payload = pyjwt_verify(client, _download(client, certificate))
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    assert ob3_problems(payload)


def test_the_holder_is_identified_by_a_salted_hash_of_the_e_mail(client, certificate, home_pages):
    from courses import services as course_services
    from tests.factories.courses import build_cohort, build_course

    identity = pyjwt_verify(client, _download(client, certificate))["credentialSubject"][
        "identifier"
    ]
    assert len(identity) == 1
    identity = identity[0]
    salt = certificate.identity_salt
    assert len(salt) == 32 and identity["salt"] == salt
    assert identity == {
        "type": "IdentityObject",
        "hashed": True,
        "identityType": "emailAddress",
        "identityHash": "sha256$" + hashlib.sha256(f"aigul@example.com{salt}".encode()).hexdigest(),
        "salt": salt,
    }
    # A verifier told "Aigul@Example.com" finds the same hash (addresses are compared in
    # lower case); another certificate of the same person has another salt and hash.
    assert credentials.identity_hash("Aigul@Example.com", salt) == identity["identityHash"]
    second_course = build_course(home_pages["ru"], slug="second")
    other = services.certificate_issue(
        enrolment=course_services.enrolment_create(
            learner=certificate.holder, cohort=build_cohort(second_course)
        )
    )
    other_identity = pyjwt_verify(client, _download(client, other))["credentialSubject"][
        "identifier"
    ][0]
    assert other_identity["salt"] != salt
    assert other_identity["identityHash"] != identity["identityHash"]


def test_expiry_becomes_valid_until_and_exp(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on="2030-06-30")
    payload = _jwcrypto_verify(_download(client, certificate), _public_jwk(client))
    assert payload["validUntil"].startswith("2030-06-")
    assert payload["exp"] > payload["iat"]


def _refused_by_everyone(client, token: str) -> None:
    """jwcrypto (key by kid from the JWKS), PyJWT (key through the DID document) and our
    own verifier all refuse the token."""
    with pytest.raises(JWCRYPTO_REFUSES):
        jwcrypto_verify(client, token)
    with pytest.raises(jwt.InvalidTokenError):
        pyjwt_verify(client, token)
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify_credential(token)


def test_tampered_payload_fails(client, certificate):
    token = _download(client, certificate)
    header, payload, signature = token.split(".")
    claims = json.loads(_unb64(payload))
    claims["credentialSubject"]["name"] = "Кто-то Другой"
    _refused_by_everyone(client, f"{header}.{_b64(json.dumps(claims).encode())}.{signature}")
    middle = len(payload) // 2
    flipped = "A" if payload[middle] != "A" else "B"
    _refused_by_everyone(
        client, f"{header}.{payload[:middle]}{flipped}{payload[middle + 1 :]}.{signature}"
    )
    jwcrypto_verify(client, token), pyjwt_verify(client, token)  # the original passes


def test_a_different_key_fails(client, certificate, signing_key, monkeypatch):
    token = _download(client, certificate)
    other = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    with pytest.raises(jws.InvalidJWSSignature):
        _jwcrypto_verify(token, other)
    # Signed by another key but naming ours in the header: every verifier finds our key
    # by that kid, and the signature does not match it.
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", _pem(Ed25519PrivateKey.generate()))
    forged = credentials.credential_jwt(certificate, base_url=BASE)
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", _pem(signing_key))
    _forged_header, payload, signature = forged.split(".")
    _refused_by_everyone(client, f"{token.split('.')[0]}.{payload}.{signature}")
    with pytest.raises(credentials.InvalidCredential):  # its own, unknown kid
        credentials.verify_credential(forged)
    with pytest.raises(AssertionError, match="no key with the header's kid"):
        jwcrypto_verify(client, forged)
    with pytest.raises(StopIteration):  # no such verification method in the DID document
        pyjwt_verify(client, forged)


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_alg_downgrade_is_rejected(client, certificate, signing_key, alg):
    token = _download(client, certificate)
    header = _header(token)
    payload_segment = token.split(".")[1]
    raw_public = signing_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    forged_header = _b64(json.dumps({**header, "alg": alg}).encode())
    signing_input = f"{forged_header}.{payload_segment}"
    if alg == "none":
        signature = ""
    else:  # the public key as an HMAC secret, both raw and as it is published
        signature = _b64(hmac.new(raw_public, signing_input.encode(), hashlib.sha256).digest())
    _refused_by_everyone(client, f"{signing_input}.{signature}")
    if alg == "HS256":
        published = client.get("/.well-known/jwks.json").content
        mac = _b64(hmac.new(published, signing_input.encode(), hashlib.sha256).digest())
        _refused_by_everyone(client, f"{signing_input}.{mac}")


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
    # The DID URL of the key (RFC 7638 SHA-256 thumbprint as fragment): the same string
    # as a JWT header's kid and the DID document's verification method id.
    assert key["kid"] == f"{DID}#{jwk.JWK(**key).thumbprint()}"

    document = client.get("/.well-known/did.json").json()
    assert document["id"] == DID
    method = document["verificationMethod"][0]
    assert method["id"] == key["kid"]
    assert method["publicKeyJwk"]["kid"] == key["kid"]
    assert method["type"] == "JsonWebKey2020"
    assert method["controller"] == DID
    assert method["publicKeyJwk"]["x"] == expected_x
    assert "d" not in method["publicKeyJwk"]
    assert document["assertionMethod"] == [method["id"]]


def test_a_forged_host_header_changes_nothing_a_credential_says(client, certificate, settings):
    """Every address comes from SITE_URL: a request under another host name (one the
    site answers to) gets the same issuer, key ids, verification and status URLs."""
    settings.SITE_URL = "https://akim.example.kz"
    did = "did:web:akim.example.kz"
    number = certificate.printed_number
    for host in ("testserver", "localhost", "127.0.0.1"):
        token = client.get(f"/v/{number}/credential.jwt", HTTP_HOST=host).content.decode()
        payload = json.loads(_unb64(token.split(".")[1]))
        assert payload["iss"] == payload["issuer"]["id"] == did
        assert payload["id"] == payload["sub"] == f"https://akim.example.kz/v/{number}"
        assert payload["credentialStatus"]["statusListCredential"] == (
            "https://akim.example.kz/.well-known/status-list"
        )
        assert _header(token)["kid"].startswith(f"{did}#")
        keys = client.get("/.well-known/jwks.json", HTTP_HOST=host).json()["keys"]
        assert keys[0]["kid"].startswith(f"{did}#")
        assert client.get("/.well-known/did.json", HTTP_HOST=host).json()["id"] == did
        status = client.get("/.well-known/status-list", HTTP_HOST=host).content.decode()
        assert json.loads(_unb64(status.split(".")[1]))["iss"] == did


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
    assert jwcrypto_verify(client, old_token) == pyjwt_verify(client, old_token)
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

    services.certificate_revoke(certificate=certificate, reason="misconduct", note="", actor="x")
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
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.IS_PRODUCTION = False
    first = credentials.signing_key()
    path = tmp_path / "private" / ".keys" / "certificate-signing.pem"
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
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    with pytest.raises(ImproperlyConfigured):
        credentials.signing_key()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_credential_speaks_the_holders_language(settings, certificate, language):
    certificate.holder.preferred_language = language
    certificate.holder.save(update_fields=["preferred_language"])
    certificate.refresh_from_db()

    payload = credentials.credential_payload(certificate, base_url=BASE)

    issuer = settings.CERTIFICATE_ISSUER_NAMES[language]
    assert payload["issuer"]["name"] == issuer
    assert issuer in payload["description"]
    for other in set(settings.CERTIFICATE_ISSUER_NAMES) - {language}:
        assert settings.CERTIFICATE_ISSUER_NAMES[other] not in json.dumps(
            payload, ensure_ascii=False
        )
    title = {"kk": "Сертификат:", "ru": "Сертификат:", "en": "Certificate:"}[language]
    assert payload["name"].startswith(title)
    assert payload["credentialSubject"]["achievement"]["name"] == certificate.course_title(language)
