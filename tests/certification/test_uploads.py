"""Hostile images uploaded with a certificate template: a signature (a plain upload) and
a logo (a Wagtail library image). Each is refused with a clear message, and nothing of it
is stored."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images.models import Image as LibraryImage
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from certification import layout
from certification.models import CertificateSignatory, CertificateTemplate
from tests.certification.conftest import png
from tests.factories import UserFactory

TEMPLATE_ADD = "/admin/snippets/certification/certificatetemplate/add/"
IMAGE_ADD = "/admin/images/add/"

# The hostile files declare more pixels than Pillow likes: it warns as it opens them.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def huge_png(width: int = 12_000, height: int = 12_000) -> bytes:
    """A valid black-and-white PNG of width × height pixels that weighs a few kilobytes:
    its rows of zeros compress to almost nothing, but decoding it takes gigabytes."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte, then 1 bit per pixel
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _image(format_name: str, size=(40, 20), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#000080").save(buffer, format=format_name, **options)
    return buffer.getvalue()


def noise_png(megabytes: float) -> bytes:
    """A real PNG of random pixels (which do not compress) of about that many megabytes."""
    import os

    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    return buffer.getvalue()


def _stored(folder: str) -> list[str]:
    """The files in a folder of the storage (kept in memory for the whole test run)."""
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def test_the_hostile_files_are_what_they_claim():
    bomb = huge_png()
    assert len(bomb) < 50_000
    with Image.open(io.BytesIO(bomb)) as image:
        assert image.format == "PNG" and image.size == (12_000, 12_000)
    with Image.open(io.BytesIO(_image("BMP"))) as image:
        assert image.format == "BMP"
    assert len(noise_png(2.5)) > 2.5 * 1024 * 1024


# Signatures -----------------------------------------------------------------------------


def _speaking(user, language: str = "en"):
    """The user, whose admin speaks the language (the messages asserted below)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def registrar_client(client, db):
    client.force_login(_speaking(UserFactory(groups=["Registrars"])))
    return client


def _post_template(client, name: str, signature: SimpleUploadedFile):
    data = nested_form_data(
        {
            "name": name,
            "title_kk": "",
            "title_ru": "",
            "title_en": "",
            "body_kk": "",
            "body_ru": "",
            "body_en": "",
            "primary_colour": "#1F3A93",
            "accent_colour": "#B8860B",
            "orientation": "landscape",
            "signatories": inline_formset([{"name": "Асель Жумабаева", "position": "Директор"}]),
        }
    )
    data["signatories-0-signature"] = signature
    return client.post(TEMPLATE_ADD, data)


NOT_OURS = "not a PNG, JPEG or WebP image, whatever its name says"
WRONG_NAME = "Upload a PNG, JPEG or WebP image"
HOSTILE_SIGNATURES = {  # name: (how to make it, what the registrar is told)
    "12000x12000.png": (huge_png, "12000 × 12000 pixels; a signature may have at most 16"),
    "bmp-renamed.png": (lambda: _image("BMP"), NOT_OURS),
    "tiff-renamed.png": (lambda: _image("TIFF"), NOT_OURS),
    "ico-renamed.png": (lambda: _image("ICO"), NOT_OURS),
    "jpeg-named.png": (lambda: _image("JPEG"), "a JPEG image but its name ends in .png"),
    "signature.tiff": (lambda: _image("TIFF"), WRONG_NAME),
    "signature.bmp": (lambda: _image("BMP"), WRONG_NAME),
    "signature.ico": (lambda: _image("ICO"), WRONG_NAME),
    "signature.pcx": (lambda: _image("PCX"), WRONG_NAME),
    "oversize.png": (lambda: noise_png(2.5), "a signature image may be at most 2.0"),
}


@pytest.mark.parametrize("name", HOSTILE_SIGNATURES)
def test_a_hostile_signature_is_refused_and_nothing_is_stored(registrar_client, name):
    make, message = HOSTILE_SIGNATURES[name]
    before = _stored("certificates/signatures")
    response = _post_template(
        registrar_client, "Семинар", SimpleUploadedFile(name, make(), content_type="image/png")
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CertificateTemplate.objects.exists()
    assert not CertificateSignatory.objects.exists()
    assert _stored("certificates/signatures") == before


def test_a_giant_header_is_refused_before_pillow_itself_would_be(registrar_client):
    """Pillow refuses outright above 2 × its own limit (about 179 million pixels)."""
    response = _post_template(
        registrar_client,
        "Семинар",
        SimpleUploadedFile("giant.png", huge_png(20_000, 20_000), content_type="image/png"),
    )
    assert "far too many pixels; a signature may have at most 16 million" in (
        response.content.decode()
    )
    assert not CertificateTemplate.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("signature.png", png("#000080")),
        ("signature.jpg", _image("JPEG")),
        ("signature.jpeg", _image("JPEG")),
        ("signature.webp", _image("WEBP")),
        ("just-under.png", huge_png(4_000, 4_000)),  # 16 million pixels exactly
    ],
)
def test_good_signatures_are_accepted(registrar_client, name, content):
    response = _post_template(
        registrar_client, "Семинар", SimpleUploadedFile(name, content, content_type="image/png")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    signature = CertificateTemplate.objects.get().signatories.get().signature
    assert signature.name.startswith("certificates/signatures/")


def test_the_messages_are_translated(client, db):
    client.force_login(_speaking(UserFactory(groups=["Registrars"]), "ru"))
    response = _post_template(
        client, "Семинар", SimpleUploadedFile("s.png", huge_png(), content_type="image/png")
    )
    assert "12000 × 12000" in response.content.decode()
    assert "a signature may have at most" not in response.content.decode()


def test_an_old_oversized_signature_is_not_decoded_when_issuing(certificate_template, caplog):
    """A signature stored before these checks (or put there by hand) is left out of the
    certificate rather than decoded into gigabytes."""
    from django.core.files.base import ContentFile

    signatory = certificate_template.signatories.first()
    signatory.signature.save("old.png", ContentFile(huge_png()), save=True)
    snapshot = layout.snapshot(certificate_template)
    assert snapshot["signatories"][0]["signature"] == ""
    assert snapshot["signatories"][1]["signature"]  # the other one is copied as usual
    assert "could not be copied" in caplog.text


# Library images (the template's logo) -----------------------------------------------------


@pytest.fixture
def editor_client(client, db):
    client.force_login(_speaking(UserFactory(is_superuser=True, is_staff=True)))
    return client


UNSUPPORTED = "Not a supported image format"
MISMATCH = "The extension does not match the file format"
HOSTILE_LIBRARY_IMAGES = {  # name: (how to make it, what the editor is told)
    "144-megapixels.png": (huge_png, "This file has too many pixels (144000000)"),
    "50-megapixels.png": (lambda: huge_png(10_000, 5_000), "too many pixels (50000000)"),
    "bmp-renamed.png": (lambda: _image("BMP"), MISMATCH),
    "tiff-renamed.png": (lambda: _image("TIFF"), MISMATCH),
    "logo.tiff": (lambda: _image("TIFF"), UNSUPPORTED),
    "logo.tif": (lambda: _image("TIFF"), UNSUPPORTED),
    "logo.bmp": (lambda: _image("BMP"), UNSUPPORTED),
    "logo.ico": (lambda: _image("ICO"), UNSUPPORTED),
    "logo.pcx": (lambda: _image("PCX"), "Upload a valid image"),  # Willow cannot read PCX
    "oversize.png": (lambda: noise_png(10.5), "This file is too big"),
}


@pytest.mark.parametrize("name", HOSTILE_LIBRARY_IMAGES)
def test_a_hostile_library_image_is_refused_and_nothing_is_stored(editor_client, name):
    make, message = HOSTILE_LIBRARY_IMAGES[name]
    before = _stored("original_images")
    upload = SimpleUploadedFile(name, make(), content_type="image/png")
    response = editor_client.post(IMAGE_ADD, {"title": "Логотип", "file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LibraryImage.objects.exists()
    assert _stored("original_images") == before


def test_a_normal_logo_is_accepted(editor_client):
    upload = SimpleUploadedFile("logo.png", png("#1f3a93"), content_type="image/png")
    response = editor_client.post(IMAGE_ADD, {"title": "Логотип", "file": upload})
    assert response.status_code == 302
    assert LibraryImage.objects.get().title == "Логотип"


def test_library_limits_are_set(settings):
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS < 144_000_000
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= 10 * 1024 * 1024
    assert not {"tif", "tiff", "bmp", "ico", "pcx", "svg"} & set(settings.WAGTAILIMAGES_EXTENSIONS)
