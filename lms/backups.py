"""Backups and restores: the database, the media files, and a manifest.

A backup is one directory (``backup-<UTC time>``) holding

* the database: on PostgreSQL ``pg_dump --format=custom`` (one consistent snapshot,
  schema and data, restored with ``pg_restore``); where ``pg_dump`` is missing or
  cannot dump this server, and on SQLite, Django's ``dumpdata`` with natural keys for
  content types and permissions (portable between the two engines, restored with
  ``loaddata`` into a freshly migrated database). The manifest says which, and why;
* the files, read through the storages, so it works for disk and object storage alike:
  the private storage (uploads, certificate PDFs, signatures, documents, original
  images) as ``media.tar.gz``, the public one (image renditions) as
  ``public-media.tar.gz`` (see ``lms/storage.py``);
* ``manifest.json``: when, which release and versions, checksums, the migrations the
  database had, and what is **not** in the backup and must be kept separately: above
  all ``DJANGO_SECRET_KEY`` and the certificate signing key. They are never copied into
  a backup: a stolen backup must not let anyone sign certificates.

A backup is written under a temporary name and renamed when complete, so a directory
named ``backup-...`` is always whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from wagtail import hooks

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
PUBLIC_MEDIA_ARCHIVE = "public-media.tar.gz"
DATABASE_FILES = {"pg_dump": "database.pgdump", "dumpdata": "database.json.gz"}
# Not dumped by dumpdata: made again by migrate (content types, permissions), not worth
# keeping (sessions: people sign in again), or rebuilt after loading (the search index;
# its SQLite full-text table does not exist on PostgreSQL).
DUMPDATA_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "wagtailsearch"]
MANIFEST_VERSION = 1

KEEP_SEPARATELY = [
    {
        "name": "DJANGO_SECRET_KEY",
        "why": "signs sessions, password-reset links and form tokens; with another key "
        "everyone is signed out and links already sent stop working",
    },
    # The apps' own secrets come here, from their "backup_keep_separately" hooks.
    {
        "name": "the rest of the environment",
        "why": "SITE_URL, DATABASE_URL, REDIS_URL, e-mail, SENTRY_DSN and the other "
        "variables in the README's configuration table",
    },
]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict


@dataclass
class RestoreResult:
    database_format: str
    media_files: int | None  # None: not restored (--no-media)
    notes: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _utc_now() -> datetime:
    return datetime.now(UTC)


# The database ----------------------------------------------------------------------------


def _pg_arguments(alias: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore. The password goes
    in the environment, never on a command line other users can list."""
    config = connections[alias].settings_dict
    arguments = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        arguments += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        arguments += ["--port", str(config["PORT"])]
    if config.get("USER"):
        arguments += ["--username", config["USER"]]
    environ = {**os.environ}
    if config.get("PASSWORD"):
        environ["PGPASSWORD"] = config["PASSWORD"]
    if config.get("OPTIONS", {}).get("sslmode"):
        environ["PGSSLMODE"] = config["OPTIONS"]["sslmode"]
    return arguments, environ


def _dump_with_pg_dump(alias: str, target: Path) -> None:
    arguments, environ = _pg_arguments(alias)
    result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
        [
            shutil.which("pg_dump") or "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            *arguments,
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _dump_with_dumpdata(alias: str, target: Path) -> None:
    connection = connections[alias]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table, as pg_dump would have.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command(
            "dumpdata",
            natural_foreign=True,
            use_base_manager=True,
            exclude=DUMPDATA_EXCLUDE,
            database=alias,
            output=str(target),
            verbosity=0,
        )


def _dump_database(alias: str, folder: Path, wanted: str) -> dict:
    """Dump the database in the format asked for ("auto" picks); what was done, why."""
    vendor = connections[alias].vendor
    if wanted == "pg_dump" and vendor != "postgresql":
        raise BackupError("pg_dump dumps PostgreSQL only; this database is SQLite.")
    why = ""
    if vendor == "postgresql" and wanted in {"auto", "pg_dump"}:
        if shutil.which("pg_dump") is None:
            if wanted == "pg_dump":
                raise BackupError("pg_dump is not installed (Debian: postgresql-client).")
            why = "pg_dump is not installed here, so Django's dumpdata was used"
        else:
            try:
                _dump_with_pg_dump(alias, folder / DATABASE_FILES["pg_dump"])
                return {
                    "format": "pg_dump",
                    "file": DATABASE_FILES["pg_dump"],
                    "why": "PostgreSQL with pg_dump at hand: one consistent snapshot of "
                    "schema and data, restored with pg_restore",
                }
            except BackupError as exc:
                if wanted == "pg_dump":
                    raise
                why = f"{exc} (a client older than the server?), so dumpdata was used"
    elif vendor != "postgresql":
        why = "SQLite: dumpdata with natural keys, which loads into SQLite or PostgreSQL"
    else:
        why = "dumpdata was asked for"
    _dump_with_dumpdata(alias, folder / DATABASE_FILES["dumpdata"])
    return {"format": "dumpdata", "file": DATABASE_FILES["dumpdata"], "why": why}


def _server_version(alias: str) -> str:
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


def _applied_migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    for app, name in sorted(loader.applied_migrations):
        applied.setdefault(app, []).append(name)
    return applied


def _counts(alias: str) -> dict[str, int]:
    """How many users, and whatever else the apps count through their
    ``backup_counts`` hooks (``fn(alias) -> {name: count}``): a restore is checked
    against these."""
    from lms.models import User

    counts = {"users": User.objects.using(alias).count()}
    for fn in hooks.get_hooks("backup_counts"):
        counts.update(fn(alias))
    return counts


# Media -------------------------------------------------------------------------------------


def _media_names(storage, folder: str = "") -> list[str]:
    """Every file in the storage. Top-level names that start with a dot are left out:
    ``.keys/`` holds the signing key development generates."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [
        f"{folder}/{name}" if folder else name
        for name in files
        if folder or not name.startswith(".")
    ]
    for name in folders:
        if not folder and name.startswith("."):
            continue
        names += _media_names(storage, f"{folder}/{name}" if folder else name)
    return sorted(names)


def _archive_media(storage, target: Path) -> int:
    names = _media_names(storage)
    with tarfile.open(target, "w:gz") as archive:
        for name in names:
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            info.mode = 0o640
            try:
                info.mtime = int(storage.get_modified_time(name).timestamp())
            except (NotImplementedError, OSError):
                info.mtime = int(_utc_now().timestamp())
            with storage.open(name, "rb") as handle:
                archive.addfile(info, handle)
    return len(names)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and not name.startswith(".")


def _public_storage():
    return storages["public"] if "public" in settings.STORAGES else None


def _storage_description(storage) -> str:
    return f"{type(storage).__module__}.{type(storage).__name__}"


def _restore_media(storage, archive_path: Path, *, force: bool, public=None) -> int:
    """Put an archive's files back into ``storage``. With ``public``: a backup made
    before files were split into private and public, whose renditions (PUBLIC_PREFIXES)
    go to the public storage and everything else to the private one."""
    from lms.storage import PUBLIC_PREFIXES

    count = 0
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            if not _safe_member(member.name):
                raise BackupError(f"The media archive holds an unsafe name: {member.name!r}")
            storage_of_member = storage
            if public is not None and member.name.startswith(PUBLIC_PREFIXES):
                storage_of_member = public
            count += _restore_file(storage_of_member, archive, member, force=force)
    return count


def _restore_file(storage, archive, member, *, force: bool) -> int:
    if storage.exists(member.name):
        if not force:
            raise BackupError(f"Media file {member.name} exists already.")
        storage.delete(member.name)
    handle = archive.extractfile(member)
    saved = storage.save(member.name, File(handle, name=member.name))
    if saved != member.name:
        raise BackupError(f"The storage saved {member.name} as {saved}.")
    return 1


# Keys --------------------------------------------------------------------------------------


def _keep_separately() -> list[dict]:
    """What a backup never holds and the operator keeps elsewhere: the secret key, each
    app's secrets (``backup_keep_separately`` hooks, ``fn() -> [{name, why, ...}]``),
    the rest of the environment."""
    secret_key, *rest = (dict(item) for item in KEEP_SEPARATELY)
    secret_key["set"] = bool(settings.SECRET_KEY)
    apps = [item for fn in hooks.get_hooks("backup_keep_separately") for item in fn()]
    return [secret_key, *apps, *rest]


# Backup ------------------------------------------------------------------------------------


def backup_create(
    *,
    destination: Path,
    database_format: str = "auto",
    include_media: bool = True,
    alias: str = "default",
) -> BackupResult:
    """Write a backup directory under ``destination``; returns its path and manifest."""
    import django
    import wagtail

    if database_format not in {"auto", "pg_dump", "dumpdata"}:
        raise BackupError(f"Unknown database format {database_format!r}.")
    created = _utc_now()
    name = f"backup-{created:%Y%m%dT%H%M%SZ}"
    destination.mkdir(parents=True, exist_ok=True)
    final = destination / name
    if final.exists():
        raise BackupError(f"{final} exists already.")
    partial = destination / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    try:
        database = _dump_database(alias, partial, database_format)
        database_file = partial / database["file"]
        database.update(
            vendor=connections[alias].vendor,
            sha256=_sha256(database_file),
            bytes=database_file.stat().st_size,
        )
        public_media = None
        if include_media:
            files = _archive_media(default_storage, partial / MEDIA_ARCHIVE)
            media = {
                "file": MEDIA_ARCHIVE,
                "files": files,
                "sha256": _sha256(partial / MEDIA_ARCHIVE),
                "storage": _storage_description(storages["default"]),
                "left_out": ["top-level names starting with '.' (.keys: a development key)"],
            }
            public = _public_storage()
            if public is not None:
                files = _archive_media(public, partial / PUBLIC_MEDIA_ARCHIVE)
                public_media = {
                    "file": PUBLIC_MEDIA_ARCHIVE,
                    "files": files,
                    "sha256": _sha256(partial / PUBLIC_MEDIA_ARCHIVE),
                    "storage": _storage_description(public),
                }
        else:
            media = {"file": None, "why": "left out on request (--no-media)"}
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "release": settings.APP_RELEASE or None,
            "site_url": settings.SITE_URL or None,
            "versions": {
                "python": platform.python_version(),
                "django": django.get_version(),
                "wagtail": wagtail.__version__,
                connections[alias].vendor: _server_version(alias),
            },
            "database": database,
            "media": media,
            # Image renditions (the public storage); absent from backups made before
            # files were split into private and public.
            "public_media": public_media,
            "migrations": _applied_migrations(alias),
            "counts": _counts(alias),
            "keep_separately": _keep_separately(),
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(path=final, manifest=manifest)


# Restore -----------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup.") from None
    if manifest.get("manifest_version") != MANIFEST_VERSION:
        raise BackupError(f"Unknown backup layout {manifest.get('manifest_version')!r}.")
    return manifest


def _check_file(source: Path, entry: dict) -> Path:
    path = source / entry["file"]
    if not path.exists():
        raise BackupError(f"{path} is missing from the backup.")
    if _sha256(path) != entry["sha256"]:
        raise BackupError(f"{path} does not match its checksum: the backup is damaged.")
    return path


def database_holds_data(alias: str = "default") -> bool:
    """Whether the database holds anything migrations did not make: a person, or a
    page beyond Wagtail's root and its placeholder."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    if not tables:
        return False
    if {"lms_user", "wagtailcore_page"} - tables:
        return True  # tables, but not ours: someone else's database
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM lms_user")
        users = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM wagtailcore_page")
        pages = cursor.fetchone()[0]
    return users > 0 or pages > 2


def _media_holds_files(storage) -> bool:
    return bool(_media_names(storage))


def _unknown_migrations(manifest: dict, alias: str) -> list[str]:
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]


def _restore_with_pg_restore(alias: str, dump: Path, *, clean: bool) -> None:
    if connections[alias].vendor != "postgresql":
        raise BackupError("This backup is a PostgreSQL dump; restore it into PostgreSQL.")
    program = shutil.which("pg_restore")
    if program is None:
        raise BackupError("pg_restore is not installed (Debian: postgresql-client).")
    connections[alias].close()
    arguments, environ = _pg_arguments(alias)
    extra = ["--clean", "--if-exists"] if clean else []
    result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
        [
            program,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *extra,
            *arguments,
            str(dump),
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_with_loaddata(alias: str, dump: Path) -> None:
    # The schema of this release, emptied; flush makes content types and permissions
    # again, which the dump names by natural key.
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    call_command("flush", database=alias, interactive=False, verbosity=0)
    call_command("loaddata", str(dump), database=alias, verbosity=0)
    call_command("update_index", verbosity=0)


def restore(
    *, source: Path, force: bool = False, include_media: bool = True, alias: str = "default"
) -> RestoreResult:
    """Restore a backup into an empty database (refused otherwise unless ``force``),
    then its media files into an empty media storage (likewise)."""
    manifest = read_manifest(source)
    database = manifest["database"]
    dump = _check_file(source, database)
    archive = public_archive = None
    if include_media and manifest["media"].get("file"):
        archive = _check_file(source, manifest["media"])
        if manifest.get("public_media"):
            public_archive = _check_file(source, manifest["public_media"])
    unknown = _unknown_migrations(manifest, alias)
    if unknown:
        raise BackupError(
            "This backup was made by a newer release (it has the migrations "
            f"{', '.join(unknown[:5])}); restore it with release "
            f"{manifest.get('release') or 'it was made with'}."
        )
    holds_data = database_holds_data(alias)
    if holds_data and not force:
        raise BackupError(
            "The database is not empty (it has people or pages). Restore into a new, "
            "empty database, or pass --force to replace everything in this one."
        )
    public = _public_storage()
    targets = [default_storage] + ([public] if public is not None else [])
    if archive is not None and any(map(_media_holds_files, targets)) and not force:
        raise BackupError(
            "The media storage already holds files. Restore into an empty one, or pass "
            "--force to replace the files the backup has."
        )
    notes = []
    if database["format"] == "pg_dump":
        has_tables = bool(connections[alias].introspection.table_names())
        _restore_with_pg_restore(alias, dump, clean=has_tables)
        # A backup from an older release: bring its schema up to this one.
        call_command("migrate", database=alias, interactive=False, verbosity=0)
    else:
        _restore_with_loaddata(alias, dump)
    media_files = None
    if archive is not None:
        legacy = "public_media" not in manifest  # one archive of every file
        media_files = _restore_media(
            default_storage, archive, force=force, public=public if legacy else None
        )
        if public_archive is not None:
            if public is None:
                notes.append("Image renditions were left out: no public storage is set up.")
            else:
                media_files += _restore_media(public, public_archive, force=force)
    elif include_media:
        notes.append(f"The backup holds no media files: {manifest['media']['why']}.")
    notes.append(
        "Not in the backup, set them as before: "
        + "; ".join(item["name"] for item in manifest["keep_separately"])
    )
    key_id = manifest["keep_separately"][1].get("key_id")
    if key_id:
        notes.append(f"The certificate signing key in use at backup time had the id {key_id}.")
    return RestoreResult(database_format=database["format"], media_files=media_files, notes=notes)
