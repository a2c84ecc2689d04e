"""Move the files an older release kept in the public media folder into the private one."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lms.operations import private_files_move


class Command(BaseCommand):
    help = (
        "Move certificate PDFs, signatures, documents, original images and other private "
        "files out of MEDIA_ROOT (which a web server may serve) into the private storage, "
        "and image renditions into the public one. Run once after upgrading; safe again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            default=str(settings.MEDIA_ROOT),
            help="The folder the older release kept its files in (default: MEDIA_ROOT).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would move; move nothing."
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        report = private_files_move(source=Path(options["source"]), dry_run=dry_run)
        verb = "Would move" if dry_run else "Moved"
        self.stdout.write(f"{verb} {len(report.private)} files into the private storage.")
        self.stdout.write(f"{verb} {len(report.public)} image renditions to the public storage.")
        self.stdout.write(f"{report.in_place} image renditions are already in place.")
        if report.development_key:
            self.stdout.write(f"{verb} the development signing key beside the private files.")
        for name in report.conflicts:
            self.stderr.write(
                f"Left in place: {name} (the target holds a different file of that name)."
            )
        if not report.conflicts:
            self.stdout.write(self.style.SUCCESS("Done." if not dry_run else "Nothing moved."))
