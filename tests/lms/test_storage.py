"""Private files (certificate PDFs, signatures, layout images, documents, originals) are
never reachable by guessing a URL: they live outside MEDIA_ROOT and are served by the app
after its permission check, or by short-lived signed links. Only renditions are public."""

import io
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image

from lms import checks, operations
from tests.certification.conftest import png


def _files(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# Signed links -------------------------------------------------------------------------------


def test_a_private_file_is_served_by_a_signed_link_that_expires(client, db, disk, settings):
    import time_machine

    name = default_storage.save("avatar_images/face.png", ContentFile(png("#123456")))
    url = default_storage.url(name)
    assert url.startswith("/files/") and not url.startswith(settings.MEDIA_URL)
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == png("#123456")
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]

    settings.PRIVATE_FILE_URL_SECONDS = 60
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        assert client.get(url).status_code == 404


def test_private_files_on_disk_are_for_their_owner_and_group(disk):
    _media_root, private_root = disk
    name = default_storage.save("documents/order.pdf", ContentFile(b"%PDF-1.4 order"))
    assert (private_root / name).stat().st_mode & 0o777 == 0o640
    assert (private_root / "documents").stat().st_mode & 0o777 == 0o750


def test_a_forged_or_altered_link_is_404(client, db, disk):
    name = default_storage.save("certificates/AAAA.pdf", ContentFile(b"%PDF-1.4 x"))
    token = default_storage.url(name).removeprefix("/files/")
    assert client.get(f"/files/{token[:-2]}xx").status_code == 404
    assert client.get("/files/certificates%2FAAAA.pdf").status_code == 404
    from django.core import signing

    other_salt = signing.dumps(name, salt="something else", compress=True)
    assert client.get(f"/files/{other_salt}").status_code == 404


def test_renditions_are_public_under_media_url(db, disk, settings):
    media_root, private_root = disk
    image = Image.objects.create(
        title="Обложка", file=SimpleUploadedFile("cover.png", png("#00aa00", (300, 200)))
    )
    rendition = image.get_rendition("fill-120x80")
    assert rendition.url.startswith(settings.MEDIA_URL + "images/")
    assert _files(media_root) == [rendition.file.name]  # the original is not public
    assert _files(private_root) == [image.file.name]
    assert image.file.url.startswith("/files/")


# Documents ---------------------------------------------------------------------------------------


def test_documents_are_private_and_served_by_wagtails_view(client, disk, db, settings):
    media_root, private_root = disk
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    document = Document.objects.create(
        title="Приказ", file=ContentFile(b"%PDF-1.4 order", name="order.pdf")
    )
    assert _files(private_root) == [document.file.name]
    assert _files(media_root) == []
    response = client.get(document.url)
    assert document.url.startswith("/documents/")
    assert response.status_code == 200
    assert _body(response) == b"%PDF-1.4 order"


# Moving the files of an older release ------------------------------------------------------------


def _older_release_layout(media_root: Path) -> dict[str, bytes]:
    files = {
        "certificates/K7M2P9Q4R8T3W.pdf": b"%PDF-1.3 certificate",
        "certificates/signatures/director.png": png("#000080"),
        "certificates/assets/ab12.png": png("#800000"),
        "documents/order.pdf": b"%PDF-1.4 order",
        "original_images/cover.png": png("#00aa00"),
        "images/cover.fill-120x80.png": png("#00aa00", (120, 80)),
    }
    for name, data in files.items():
        path = media_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    keys = media_root / ".keys"
    keys.mkdir()
    (keys / "certificate-signing.pem").write_bytes(b"development key")
    return files


def test_move_private_files_empties_media_root_of_everything_but_renditions(disk):
    media_root, private_root = disk
    files = _older_release_layout(media_root)
    assert [error.id for error in checks.private_files_in_media_root_check(None)] == ["lms.E003"]

    out = io.StringIO()
    call_command("move_private_files", "--dry-run", stdout=out)
    assert "Would move 5 files into the private storage." in out.getvalue()
    assert _files(private_root) == []

    call_command("move_private_files", stdout=io.StringIO())
    assert _files(media_root) == ["images/cover.fill-120x80.png"]
    for name, data in files.items():
        root = media_root if name.startswith("images/") else private_root
        assert (root / name).read_bytes() == data
    assert (private_root / ".keys" / "certificate-signing.pem").read_bytes() == b"development key"
    assert checks.private_files_in_media_root_check(None) == []

    again = operations.private_files_move(source=media_root)
    assert (again.private, again.public, again.in_place) == ([], [], 1)


def test_a_name_taken_by_another_file_is_left_in_place(disk):
    media_root, private_root = disk
    (media_root / "documents").mkdir(parents=True)
    (media_root / "documents" / "order.pdf").write_bytes(b"old")
    (private_root / "documents").mkdir(parents=True)
    (private_root / "documents" / "order.pdf").write_bytes(b"new")
    report = operations.private_files_move(source=media_root)
    assert report.conflicts == ["documents/order.pdf"]
    assert (media_root / "documents" / "order.pdf").read_bytes() == b"old"
    assert (private_root / "documents" / "order.pdf").read_bytes() == b"new"


def test_the_storages_are_private_by_default():
    """Every file field without a storage of its own lands in the private storage."""
    assert type(storages["default"]).__name__.startswith("Private")
    from wagtail.images.models import get_rendition_storage

    assert get_rendition_storage() is storages["public"]
