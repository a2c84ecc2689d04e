from django.core.management.base import BaseCommand, CommandError

from lms.ledger import problems, verify_history


class Command(BaseCommand):
    help = (
        "Check the tamper-evident history (certificates, quiz submissions): every entry "
        "present, every hash and link intact, and every record equal to its latest entry. "
        "Prints OK with counts, or each problem (the first broken link of a chain first) "
        "and exits with status 1. Run it nightly and keep its output elsewhere: the last "
        "hash of each chain it prints vouches for everything before it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chain", action="append", dest="chains", help="only this chain (repeatable)"
        )

    def handle(self, *args, chains=None, **options):
        reports = verify_history(chains=chains)
        for report in reports:
            self.stdout.write(
                f"{report.chain}: {report.entries} entries, last {report.last_sequence} "
                f"{report.last_hash}; {report.records} records compared"
            )
        found = list(problems(reports))
        if not found:
            entries = sum(report.entries for report in reports)
            records = sum(report.records for report in reports)
            self.stdout.write(
                f"OK: {len(reports)} chains, {entries} entries, {records} records match "
                "their latest entry"
            )
            return
        for problem in found:
            self.stdout.write(f"BROKEN {problem}")
        raise CommandError(f"The history does not verify: {len(found)} problem(s)")
