"""Certificates as signed, machine-verifiable credentials (Open Badges 3.0, VC-JWT).

Every certificate can be downloaded as an ``OpenBadgeCredential`` signed with Ed25519
(``/v/<number>/credential.jwt``). Anyone can check the signature against the public key
published at ``/.well-known/jwks.json`` and in the ``did:web`` document at
``/.well-known/did.json``; whether a credential has been revoked is answered by a signed
Bitstring Status List at ``/.well-known/status-list`` (bit *i* is the certificate whose
primary key is *i*).

Keys and settings (read from the environment):

``CERTIFICATE_SIGNING_KEY``
    The Ed25519 private key as PEM text (PKCS#8). **Production must set this** (or the
    ``_FILE`` variant); with neither, every signing or key request raises
    ImproperlyConfigured there.
``CERTIFICATE_SIGNING_KEY_FILE``
    The path of a file holding that PEM, as an alternative (e.g. a mounted secret).
``CERTIFICATE_RETIRED_PUBLIC_KEYS``
    Comma-separated base64url ``x`` values (the raw 32-byte Ed25519 public keys) of keys
    that no longer sign but whose credentials must keep verifying. They are published
    in the JWKS and the DID document alongside the current key. To rotate: add the
    current key's ``x`` here, then set a new signing key. Each key is identified by the
    DID URL ``did:web:<host>#<RFC 7638 thumbprint>``: the JWS header's ``kid``, the
    JWKS entry's ``kid`` and the DID document's verification method ``id`` are the same
    string, so a verifier finds the key by the header's ``kid`` in either.

Without either signing variable, in development and tests only, a key is generated once
and kept in ``PRIVATE_MEDIA_ROOT/.keys/certificate-signing.pem`` (mode 0600, gitignored).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import gettext
from jwcrypto import jwk, jws

from certification.models import Certificate
from lms.env import env_list, env_str

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_PATH = "/.well-known/status-list"
STATUS_LIST_MIN_BITS = 131_072  # 16 KB, the minimum the Bitstring Status List asks for
STATUS_LIST_VALIDITY = timedelta(days=1)


class InvalidCredential(Exception):
    """A token that is malformed, not EdDSA, signed by an unknown key or tampered with."""


# --- encoding helpers ------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json_bytes(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- keys ------------------------------------------------------------------------------


def development_key_path() -> Path:
    # Beside the private files, never under MEDIA_ROOT (which a web server may serve).
    return Path(settings.PRIVATE_MEDIA_ROOT) / ".keys" / "certificate-signing.pem"


def _load_private_pem(pem: bytes, source: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{source} is not a readable PEM private key.") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{source} must hold an Ed25519 key.")
    return key


def _generate_dev_key(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:  # O_EXCL: if another process won the race, use its key instead.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_private_pem(path.read_bytes(), str(path))
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def configured_signing_key() -> Ed25519PrivateKey | None:
    """The key set in ``CERTIFICATE_SIGNING_KEY`` or ``CERTIFICATE_SIGNING_KEY_FILE``;
    None when neither is set. ImproperlyConfigured, naming the variable, when the one
    that is set cannot be read or holds no Ed25519 key (``certification/checks.py``
    reports that at deploy time)."""
    pem = os.environ.get("CERTIFICATE_SIGNING_KEY", "").strip()
    if pem:
        return _load_private_pem(pem.encode("ascii", "replace"), "CERTIFICATE_SIGNING_KEY")
    key_file = env_str("CERTIFICATE_SIGNING_KEY_FILE")
    if key_file:
        try:
            data = Path(key_file).read_bytes()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"CERTIFICATE_SIGNING_KEY_FILE cannot be read: {exc.strerror}."
            ) from exc
        return _load_private_pem(data, "CERTIFICATE_SIGNING_KEY_FILE")
    return None


def signing_key() -> Ed25519PrivateKey:
    """The current Ed25519 signing key (see the module docstring for where it comes from)."""
    key = configured_signing_key()
    if key is not None:
        return key
    if getattr(settings, "IS_PRODUCTION", False):
        raise ImproperlyConfigured(
            "Set CERTIFICATE_SIGNING_KEY (Ed25519 PEM) or CERTIFICATE_SIGNING_KEY_FILE: "
            "certificates cannot be signed without a key in production."
        )
    path = development_key_path()
    if path.exists():
        return _load_private_pem(path.read_bytes(), str(path))
    return _generate_dev_key(path)


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_jwk(key: Ed25519PublicKey, *, did: str) -> dict:
    """The public key as an OKP JWK whose ``kid`` is the DID URL a JWT header names
    (``did:web:<host>#<thumbprint>``), so a verifier that looks the header's ``kid`` up
    in the JWKS, as most libraries do, finds it."""
    x = b64url(_raw_public(key))
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": key_url(key, did=did), "alg": "EdDSA"}


def key_url(key: Ed25519PublicKey, *, did: str) -> str:
    """The key's id in the DID document, and the ``kid`` of everything it signs."""
    return f"{did}#{key_id(key)}"


def key_id(key: Ed25519PublicKey) -> str:
    """RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order."""
    x = b64url(_raw_public(key))
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"), sort_keys=True
    )
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def retired_public_keys() -> list[Ed25519PublicKey]:
    """Keys listed in CERTIFICATE_RETIRED_PUBLIC_KEYS (base64url raw ``x`` values)."""
    keys = []
    for x in env_list("CERTIFICATE_RETIRED_PUBLIC_KEYS"):
        try:
            keys.append(Ed25519PublicKey.from_public_bytes(b64url_decode(x)))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"CERTIFICATE_RETIRED_PUBLIC_KEYS has a value that is not an Ed25519 key: {x!r}"
            ) from exc
    return keys


def verification_keys() -> dict[str, Ed25519PublicKey]:
    """Every key a credential may be signed with, current first, by ``kid``."""
    current = signing_key().public_key()
    keys = {key_id(current): current}
    for key in retired_public_keys():
        keys.setdefault(key_id(key), key)
    return keys


# --- did:web and public documents -------------------------------------------------------


def issuer_did(base_url: str) -> str:
    """``did:web:<host>``; a port's colon is percent-encoded (``example.org%3A8000``)."""
    host = urlsplit(base_url).netloc.rsplit("@", 1)[-1].lower()
    return "did:web:" + quote(host, safe="")


def jwks(base_url: str) -> dict:
    did = issuer_did(base_url)
    return {
        "keys": [{**public_jwk(key, did=did), "use": "sig"} for key in verification_keys().values()]
    }


def did_document(base_url: str) -> dict:
    did = issuer_did(base_url)
    methods = [
        {
            "id": key_url(key, did=did),
            "type": "JsonWebKey2020",
            "controller": did,
            "publicKeyJwk": public_jwk(key, did=did),
        }
        for key in verification_keys().values()
    ]
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
        ],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


# --- signing and verifying ----------------------------------------------------------------


def sign_jwt(payload: dict, *, did: str) -> str:
    """``payload`` as a compact JWS (EdDSA, Ed25519) whose ``kid`` names the signing key."""
    key = signing_key()
    header = {"alg": "EdDSA", "typ": "JWT", "kid": key_url(key.public_key(), did=did)}
    token = jws.JWS(_json_bytes(payload))
    # The header is passed as text so that its bytes, and so the signed input, are ours.
    token.add_signature(jwk.JWK.from_pyca(key), protected=_json_bytes(header).decode("utf-8"))
    return token.serialize(compact=True)


@dataclass(frozen=True)
class Verified:
    header: dict
    payload: dict


def verify_credential(token: str) -> Verified:
    """Check a VC-JWT signed here; raise InvalidCredential unless it is sound.

    Only ``alg: EdDSA`` is accepted (never ``none`` or an HMAC with the public key as the
    secret), and only with the current or a retired key named by the header's ``kid``.
    Expiry and revocation are the relying party's to check (``exp``/status list).
    """
    token = token.strip() if isinstance(token, str) else ""
    if token.count(".") != 2:  # the compact form only, never the JSON serialisations
        raise InvalidCredential("malformed token")
    signed = jws.JWS()
    try:
        signed.deserialize(token)
        header = signed.jose_header
    except (jws.InvalidJWSObject, jws.InvalidJWSOperation, ValueError) as exc:
        raise InvalidCredential("malformed token") from exc
    if header.get("alg") != "EdDSA":
        raise InvalidCredential("only EdDSA is accepted")
    if "crit" in header:
        raise InvalidCredential("unsupported critical header")
    kid = str(header.get("kid", "")).rsplit("#", 1)[-1]
    key = verification_keys().get(kid)
    if key is None:
        raise InvalidCredential("unknown key")
    try:
        signed.verify(jwk.JWK.from_pyca(key), alg="EdDSA")
    except jws.InvalidJWSSignature as exc:
        raise InvalidCredential("bad signature") from exc
    try:
        payload = json.loads(signed.payload)
    except ValueError as exc:
        raise InvalidCredential("malformed payload") from exc
    if not isinstance(payload, dict):
        raise InvalidCredential("malformed payload")
    return Verified(header=header, payload=payload)


# --- the credentials ----------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _valid_until(certificate: Certificate) -> datetime | None:
    """A certificate is good through its ``expires_on`` day (local time), so the next
    midnight."""
    if not certificate.expires_on:
        return None
    day_after = datetime.combine(certificate.expires_on + timedelta(days=1), time.min)
    return timezone.make_aware(day_after)


def verify_url(certificate: Certificate, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/v/{certificate.printed_number}"


def identity_hash(email: str, salt: str) -> str:
    """An Open Badges ``IdentityHash`` of an e-mail address: ``sha256$`` and the hex
    SHA-256 of the address in lower case followed by the salt (both UTF-8)."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def credential_payload(certificate: Certificate, *, base_url: str) -> dict:
    """The certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (VC Data Model 2.0).

    The texts, the course title and the issuer's name are in the holder's language (the
    registry's, ``LANGUAGE_CODE``, when theirs is not offered).
    The holder is named, and identified by a salted hash of their e-mail address (an
    ``IdentityObject``): a verifier who is told the address can check it, nobody can
    read it, and the per-certificate salt keeps two certificates of one person from
    sharing a hash.
    """
    base_url = base_url.rstrip("/")
    did = issuer_did(base_url)
    url = verify_url(certificate, base_url)
    status_url = base_url + STATUS_LIST_PATH
    index = certificate.pk
    language = certificate.holder.preferred_language
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    course = certificate.course_title(language)
    issuer = certificate.issuer_name(language)
    with translation.override(language):
        texts = {
            "name": gettext("Certificate: %(course)s"),
            "description": gettext(
                "Certificate No. %(number)s: the course “%(course)s”, %(hours)s academic "
                "hours, issued by %(issuer)s."
            ),
            "achievement": gettext("Advanced training course of %(hours)s academic hours."),
            "criteria": gettext(
                "Completed the course “%(course)s” (%(hours)s academic hours) and met its "
                "completion requirements."
            ),
        }
    values = {
        "course": course,
        "hours": certificate.academic_hours,
        "number": certificate.printed_number,
        "issuer": issuer,
    }
    texts = {key: text % values for key, text in texts.items()}
    vc: dict = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": texts["name"],
        "description": texts["description"],
        "issuer": {"id": did, "type": ["Profile"], "name": issuer},
        "validFrom": _iso(certificate.issued_at),
    }
    valid_until = _valid_until(certificate)
    if valid_until:
        vc["validUntil"] = _iso(valid_until)
    vc["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "name": certificate.holder_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "hashed": True,
                "identityType": "emailAddress",
                "identityHash": identity_hash(certificate.holder.email, certificate.identity_salt),
                "salt": certificate.identity_salt,
            }
        ],
        "achievement": {
            # One achievement per course (and version), whoever holds it.
            "id": f"urn:uuid:{certificate.course_key}",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": course,
            "description": texts["achievement"],
            "criteria": {"narrative": texts["criteria"]},
            "version": str(certificate.course_version),
        },
    }
    vc["credentialStatus"] = {
        "id": f"{status_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": status_url,
    }
    issued = int(certificate.issued_at.timestamp())
    # The JWT subject is the verification URL: the e-mail address never goes into a
    # credential, only its salted hash.
    claims = {"iss": did, "sub": url, "jti": url, "nbf": issued, "iat": issued}
    if valid_until:
        claims["exp"] = int(valid_until.timestamp())
    return {**vc, **claims}


def credential_jwt(certificate: Certificate, *, base_url: str) -> str:
    """The certificate as an Open Badges 3.0 ``OpenBadgeCredential``, as a VC-JWT."""
    payload = credential_payload(certificate, base_url=base_url)
    return sign_jwt(payload, did=payload["iss"])


def revocation_bitstring() -> bytes:
    """Bit *i* (left-most first) is set when the certificate with pk *i* is revoked."""
    revoked = list(
        Certificate.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)
    )
    last = max(Certificate.objects.order_by("-pk").values_list("pk", flat=True)[:1], default=0)
    size_bits = max(STATUS_LIST_MIN_BITS, (last // 8 + 1) * 8)
    bits = bytearray(size_bits // 8)
    for pk in revoked:
        bits[pk // 8] |= 0x80 >> (pk % 8)
    return bytes(bits)


def encode_list(bitstring: bytes) -> str:
    """GZIP, then base64url without padding, with the Multibase ``u`` prefix the
    Bitstring Status List specification requires."""
    return "u" + b64url(gzip.compress(bitstring, mtime=0))


def decode_list(encoded: str) -> bytes:
    return gzip.decompress(b64url_decode(encoded.removeprefix("u")))


def status_list_jwt(*, base_url: str, now: datetime | None = None) -> str:
    """The signed revocation list as a ``BitstringStatusListCredential`` VC-JWT."""
    base_url = base_url.rstrip("/")
    did = issuer_did(base_url)
    url = base_url + STATUS_LIST_PATH
    now = now or timezone.now()
    until = now + STATUS_LIST_VALIDITY
    payload = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": _iso(now),
        "validUntil": _iso(until),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(revocation_bitstring()),
        },
        "iss": did,
        "sub": f"{url}#list",
        "jti": url,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int(until.timestamp()),
    }
    return sign_jwt(payload, did=did)
