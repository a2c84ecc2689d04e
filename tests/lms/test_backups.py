"""backup and restore: what a backup holds and leaves out, and a restore drill into a
fresh database that ends with a certificate that verifies and a PDF with its hash."""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from certification import documents
from certification import services as certification_services
from courses import services as course_services
from lms import backups
from tests.factories import UserFactory
from tests.factories.cms import build_home_pages
from tests.factories.courses import build_cohort, build_course

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://akim.example.kz"
DEV_KEY = b"-----BEGIN PRIVATE KEY-----\nnot-for-backups\n-----END PRIVATE KEY-----\n"


@pytest.fixture
def media(settings, tmp_path):
    """Files on disk in folders of this test, private (returned) and public, with a
    development key among the private ones."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "lms.storage.PrivateFileSystemStorage"},
        "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    keys = settings.PRIVATE_MEDIA_ROOT / ".keys"
    keys.mkdir(parents=True)
    (keys / "certificate-signing.pem").write_bytes(DEV_KEY)
    return settings.PRIVATE_MEDIA_ROOT


def _certificate_with_pdf():
    course = build_course(build_home_pages(), modules=1, lessons=2)
    course.requires_module_tests = course.requires_final_exam = False
    course.save()
    learner = UserFactory(email="aigul@example.com", full_name="Айгүл Маратқызы Омарова")
    enrolment = course_services.enrolment_create(learner=learner, cohort=build_cohort(course))
    certificate = certification_services.certificate_issue(enrolment=enrolment)
    certificate = documents.certificate_document_issue(certificate)
    assert certificate.pdf and len(certificate.pdf_sha256) == 64
    return certificate


def _backup(tmp_path, *args) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), *args, stdout=out)
    (folder,) = (tmp_path / "backups").glob("backup-*")
    assert f"Backup written to {folder}" in out.getvalue()
    return folder


# The drill -------------------------------------------------------------------------------

RESTORE_AND_VERIFY = """
import hashlib, io, json, sys
import config.settings.test as test_settings
test_settings.MEDIA_ROOT = sys.argv[2] + "/public"
test_settings.PRIVATE_MEDIA_ROOT = sys.argv[2] + "/private"
test_settings.STORAGES = {
    **test_settings.STORAGES,
    "default": {"BACKEND": "lms.storage.PrivateFileSystemStorage"},
    "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
import django
django.setup()
from django.core.management import call_command
output = io.StringIO()
call_command("restore", sys.argv[1], stdout=output)
from django.core.files.storage import default_storage
from certification.services import verify
from lms.models import User
found = verify(typed=sys.argv[3])
with default_storage.open(found.certificate.pdf.name, "rb") as handle:
    pdf = handle.read()
print(json.dumps({
    "status": found.status,
    "holder": found.certificate.holder_name,
    "pdf_sha256": found.certificate.pdf_sha256,
    "file_sha256": hashlib.sha256(pdf).hexdigest(),
    "users": sorted(User.objects.values_list("email", flat=True)),
    "output": output.getvalue(),
}))
"""


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database: a new SQLite file, or on PostgreSQL a new
    database named after the configured one (dropped afterwards)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import dj_database_url
    import psycopg

    configured = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"{configured['NAME']}_restore_{os.getpid()}"
    server = {
        "host": configured.get("HOST") or None,
        "port": configured.get("PORT") or None,
        "user": configured.get("USER") or None,
        "password": configured.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
        yield url
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_restore_drill_a_certificate_verifies_and_its_pdf_keeps_its_hash(
    media, tmp_path, fresh_database
):
    certificate = _certificate_with_pdf()
    folder = _backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    expected = "pg_dump" if connection.vendor == "postgresql" else "dumpdata"
    assert manifest["database"]["format"] == expected
    restored_media = tmp_path / "restored-media"
    result = subprocess.run(
        [sys.executable, "-c", RESTORE_AND_VERIFY, str(folder), str(restored_media)]
        + [certificate.printed_number],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": fresh_database,
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    restored = json.loads(result.stdout.splitlines()[-1])
    assert restored["status"] == "valid"
    assert restored["holder"] == "Айгүл Маратқызы Омарова"
    assert restored["pdf_sha256"] == certificate.pdf_sha256
    assert restored["file_sha256"] == certificate.pdf_sha256
    assert restored["users"] == ["aigul@example.com"]
    assert "DJANGO_SECRET_KEY" in restored["output"]
    # The development key stayed out of the backup, so it is not among the restored files.
    assert not (restored_media / "private" / ".keys").exists()


# What a backup holds -----------------------------------------------------------------------


def _every_byte(folder: Path) -> bytes:
    """The backup's files, with the compressed ones opened up."""
    found = b""
    for path in folder.iterdir():
        data = path.read_bytes()
        found += data
        if path.name.endswith(".gz"):
            found += gzip.decompress(data)
    return found


def test_a_backup_lists_the_keys_and_copies_none_of_them(db, media, tmp_path, settings):
    settings.SECRET_KEY = "the-real-secret-key-0123456789abcdefghijklmnop"
    (media / "documents").mkdir()
    (media / "documents" / "order.pdf").write_bytes(b"%PDF-1.4 order")
    folder = _backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    kept = [item["name"] for item in manifest["keep_separately"]]
    assert kept[0] == "DJANGO_SECRET_KEY"
    assert kept[1].startswith("CERTIFICATE_SIGNING_KEY")
    everything = _every_byte(folder)
    assert settings.SECRET_KEY.encode() not in everything
    assert b"not-for-backups" not in everything
    with tarfile.open(folder / "media.tar.gz") as archive:
        assert archive.getnames() == ["documents/order.pdf"]
    assert manifest["media"]["files"] == 1
    for part in ("database", "media"):
        entry = manifest[part]
        assert hashlib.sha256((folder / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
    assert manifest["created_at"].endswith("Z")
    assert manifest["versions"]["django"]
    assert "lms" in manifest["migrations"]
    assert os.stat(folder).st_mode & 0o077 == 0  # only the owner may read it


def test_on_sqlite_the_dump_is_dumpdata_and_the_manifest_says_why(db, media, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite case")
    manifest = json.loads((_backup(tmp_path) / "manifest.json").read_text())
    assert manifest["database"]["format"] == "dumpdata"
    assert "SQLite" in manifest["database"]["why"]


def test_without_pg_dump_postgresql_falls_back_to_dumpdata_and_says_so(postgres, media, tmp_path):
    with mock.patch("lms.backups.shutil.which", return_value=None):
        manifest = json.loads((_backup(tmp_path) / "manifest.json").read_text())
    assert manifest["database"]["format"] == "dumpdata"
    assert "pg_dump is not installed" in manifest["database"]["why"]


def test_a_backup_can_leave_the_media_out(db, media, tmp_path):
    folder = _backup(tmp_path, "--no-media")
    assert not (folder / "media.tar.gz").exists()
    assert json.loads((folder / "manifest.json").read_text())["media"]["file"] is None


# What a restore refuses ------------------------------------------------------------------


def test_restore_refuses_a_database_that_is_not_empty(db, media, tmp_path):
    folder = _backup(tmp_path)
    UserFactory(email="still-here@example.com")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder), stdout=io.StringIO())
    from lms.models import User

    assert User.objects.filter(email="still-here@example.com").exists()


def test_restore_refuses_a_damaged_backup(db, media, tmp_path):
    folder = _backup(tmp_path)
    dump = next(folder.glob("database.*"))
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(folder), stdout=io.StringIO())


def test_restore_refuses_a_backup_from_a_newer_release(db, media, tmp_path):
    folder = _backup(tmp_path)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["migrations"]["lms"].append("0099_from_the_future")
    manifest["release"] = "2.0.0"
    path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="newer release"):
        call_command("restore", str(folder), stdout=io.StringIO())


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path, db):
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())


def test_an_unsafe_name_in_the_media_archive_is_refused(tmp_path):
    assert backups._safe_member("certificates/A-1.pdf")
    assert not backups._safe_member("../etc/passwd")
    assert not backups._safe_member("/etc/passwd")
    assert not backups._safe_member(".keys/certificate-signing.pem")


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_replaces_what_the_database_holds(media, tmp_path):
    from lms.models import User

    UserFactory(email="in-the-backup@example.com")
    folder = _backup(tmp_path)
    UserFactory(email="made-later@example.com")
    (media / "later.txt").write_text("made after the backup")
    out = io.StringIO()
    call_command("restore", str(folder), "--force", stdout=out)
    assert list(User.objects.values_list("email", flat=True)) == ["in-the-backup@example.com"]
    assert "Restore complete." in out.getvalue()


# Private and public files --------------------------------------------------------------------


def test_renditions_are_backed_up_apart_from_the_private_files(db, media, tmp_path, settings):
    public = settings.MEDIA_ROOT
    (public / "images").mkdir(parents=True)
    (public / "images" / "cover.fill-1200x630.jpg").write_bytes(b"rendition")
    (media / "certificates").mkdir()
    (media / "certificates" / "A1.pdf").write_bytes(b"%PDF-1.4 private")
    folder = _backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    with tarfile.open(folder / "media.tar.gz") as archive:
        assert archive.getnames() == ["certificates/A1.pdf"]
    with tarfile.open(folder / "public-media.tar.gz") as archive:
        assert archive.getnames() == ["images/cover.fill-1200x630.jpg"]
    assert manifest["public_media"]["files"] == 1


def test_a_backup_from_before_the_split_puts_renditions_back_in_public(db, media, settings):
    """Older backups hold every file in one archive: on restore the renditions go to
    the public storage and everything else to the private one."""
    from django.core.files.storage import storages

    archive_path = media.parent / "old-media.tar.gz"
    with tarfile.open(archive_path, "w:gz") as archive:
        for name, data in [("images/a.max-800x600.png", b"r"), ("certificates/B.pdf", b"p")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    count = backups._restore_media(
        storages["default"], archive_path, force=False, public=storages["public"]
    )
    assert count == 2
    assert (media / "certificates" / "B.pdf").read_bytes() == b"p"
    assert (settings.MEDIA_ROOT / "images" / "a.max-800x600.png").read_bytes() == b"r"
    assert not (settings.MEDIA_ROOT / "certificates").exists()
