import re

from django.core.management.base import BaseCommand, CommandError

from lms.ledger import problems, verify_history

ANCHOR = re.compile(r"^(?P<chain>[\w-]+):(?P<sequence>\d+):(?P<hash>[0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Check the tamper-evident history (certificates, quiz submissions): every entry "
        "present, every hash and link intact, and every record equal to its latest entry. "
        "Prints OK with counts, or each problem (the first broken link of a chain first) "
        "and exits with status 1. Run it nightly and keep the 'last entry' lines it prints "
        "somewhere else: passed back with --expect, each proves nothing before it was "
        "rewritten since."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chain", action="append", dest="chains", help="only this chain (repeatable)"
        )
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="CHAIN:SEQUENCE:HASH",
            help="an entry's hash printed by an earlier run, which must not have changed",
        )

    def handle(self, *args, chains=None, expect=(), **options):
        anchors = []
        for value in expect:
            match = ANCHOR.match(value.strip())
            if match is None:
                raise CommandError(f"--expect wants CHAIN:SEQUENCE:HASH, not {value!r}")
            anchors.append((match["chain"], int(match["sequence"]), match["hash"]))
        reports = verify_history(chains=chains, anchors=anchors)
        for report in reports:
            self.stdout.write(
                f"{report.chain}: {report.entries} entries, {report.records} records "
                f"compared; last entry {report.chain}:{report.last_sequence}:{report.last_hash}"
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
