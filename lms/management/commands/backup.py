"""Back up the database and the media files, with a manifest of what to keep beside them."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup directory: a database dump (pg_dump on PostgreSQL, else dumpdata), "
        "the media files, and manifest.json. DJANGO_SECRET_KEY and the certificate signing "
        "key are never copied into it: the manifest lists them, keep them separately."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default="backups",
            help="Folder the backup directory is written in (default: ./backups).",
        )
        parser.add_argument(
            "--database-format",
            choices=["auto", "pg_dump", "dumpdata"],
            default="auto",
            help="auto: pg_dump on PostgreSQL when it is installed and works, else dumpdata.",
        )
        parser.add_argument("--no-media", action="store_true", help="Leave the media files out.")

    def handle(self, *args, **options):
        try:
            result = backup_create(
                destination=Path(options["output"]),
                database_format=options["database_format"],
                include_media=not options["no_media"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        database = manifest["database"]
        self.stdout.write(f"Database: {database['file']} ({database['format']}: {database['why']})")
        if manifest["media"].get("file"):
            files = manifest["media"]["files"]
            self.stdout.write(f"Media: {files} file{'s' * (files != 1)} in media.tar.gz")
            if manifest.get("public_media"):
                files = manifest["public_media"]["files"]
                self.stdout.write(
                    f"Image renditions: {files} file{'s' * (files != 1)} in public-media.tar.gz"
                )
        else:
            self.stdout.write(f"Media: not included ({manifest['media']['why']})")
        self.stdout.write("Not in the backup; keep these separately:")
        for item in manifest["keep_separately"]:
            key_id = ""
            if "key_id" in item:
                key_id = f" (key id: {item['key_id'] or 'none configured'})"
            self.stdout.write(f"  - {item['name']}{key_id}: {item['why']}")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {result.path}"))
