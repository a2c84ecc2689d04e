"""Export a category of the question bank (with its subcategories) as Moodle XML."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange.importer import category_for_path
from quizzes.interchange.moodle_xml import build_moodle_xml


class Command(BaseCommand):
    help = (
        "Write a category of questions and its subcategories to a Moodle XML file. "
        "Self-assessment questions have no Moodle equivalent and are left out."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--category", required=True, help='the category to export, e.g. "Budget/Revenues"'
        )
        parser.add_argument(
            "--output", required=True, help="the file to write, or - for standard output"
        )

    def handle(self, *args, **options):
        category = category_for_path(options["category"])
        if category is None:
            raise CommandError(f"No category {options['category']!r}.")
        export = build_moodle_xml(category)
        output = options["output"]
        if output == "-":
            self.stdout.write(export.data.decode("utf-8"), ending="")
            report = self.stderr
        else:
            try:
                Path(output).write_bytes(export.data)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error}") from error
            report = self.stdout
        for question, reason in export.skipped:
            report.write(f"skipped: question {question.pk} “{question.name}”: {reason}")
        report.write(
            f"exported {export.exported}, skipped {len(export.skipped)}"
            + ("" if output == "-" else f" to {output}")
        )
