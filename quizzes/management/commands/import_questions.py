"""Import a GIFT or Moodle XML question file into the question bank, all or nothing."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quizzes.interchange.importer import (
    FORMATS,
    GIFT,
    MOODLE_XML,
    ImportFailed,
    import_file_into,
    read_file_versions,
)

EXTENSIONS = {".gift": GIFT, ".txt": GIFT, ".xml": MOODLE_XML}


class Command(BaseCommand):
    help = (
        "Import questions from a GIFT or Moodle XML file into a category (created if "
        "missing). A malformed file imports nothing; questions of unsupported types are "
        "skipped and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the question file")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="the file's format; by default from its extension (.gift, .txt, .xml)",
        )
        parser.add_argument(
            "--category",
            required=True,
            help='the category to import into, e.g. "Budget/Revenues"; created if missing',
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of the file's texts (Moodle's multilang markup names its own)",
        )
        parser.add_argument(
            "--as-translation",
            action="store_true",
            help="add the texts to the questions of the same name in --category instead",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but save nothing"
        )

    def handle(self, *args, **options):
        path, dry_run = Path(options["path"]), options["dry_run"]
        file_format = options["format"] or EXTENSIONS.get(path.suffix.lower())
        if file_format is None:
            raise CommandError(f"Cannot tell the format of {path}: give --format gift|moodle-xml.")
        if not options["category"].strip("/ "):
            raise CommandError("--category must name a category, e.g. Budget/Revenues.")
        try:
            versions = read_file_versions(path, file_format, language=options["language"])
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error

        try:
            with transaction.atomic():
                report = import_file_into(
                    versions=versions,
                    category_path=options["category"],
                    as_translation=options["as_translation"],
                    dry_run=dry_run,
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ImportFailed as failure:
            lines = [
                f"  {problem}" + ("" if problem.fatal else " (would be skipped)")
                for problem in failure.problems
            ]
            raise CommandError(
                f"Nothing imported: {path} has {len(lines)} problem(s):\n" + "\n".join(lines)
            ) from failure
        except ValidationError as error:
            raise CommandError(f"Bad --category: {'; '.join(error.messages)}") from error

        for problem in report.problems:
            self.stdout.write(f"{'skipped' if problem.skips else 'note'}: {problem}")
        summary = f"imported {report.imported}, skipped {report.skipped}"
        if dry_run:
            summary += " (dry run: nothing saved)"
        self.stdout.write(summary)
