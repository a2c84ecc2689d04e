"""Restore a backup made by `backup` into an empty database and media storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup directory into the database DATABASE_URL names and the media "
        "storage. Both must be empty unless --force is given, which replaces their contents."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup directory (backup-<time>).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore over a database and media storage that are not empty.",
        )
        parser.add_argument("--no-media", action="store_true", help="Restore the database only.")

    def handle(self, *args, **options):
        try:
            result = restore(
                source=Path(options["backup"]),
                force=options["force"],
                include_media=not options["no_media"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Database restored ({result.database_format}).")
        if result.media_files is None:
            self.stdout.write("Media: not restored.")
        else:
            self.stdout.write(f"Media: {result.media_files} files restored.")
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS("Restore complete."))
