"""The certificate registry: verification as fast with 100,000 certificates as with 100,
the median time to render a certificate's PDF (in-process; see bench/cert_lookup.py), and
bulk issuance for a 500-learner cohort as a task (see bench/bulk_issuance.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import Context
from bench.main import PROJECT_DIR, bench_environment


def in_process(module: str, env: dict[str, str] | None = None) -> dict:
    """Run ``python -m module`` with the bench environment; the JSON it prints last."""
    output = subprocess.run(
        [sys.executable, "-m", module],
        cwd=PROJECT_DIR,
        env=env or bench_environment(),
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(ctx: Context) -> None:
    figures = in_process("bench.cert_lookup")
    small, large = figures["verify_lookup_us_small"], figures["verify_lookup_us_large"]
    print(
        f"  lookup median: {small:.0f} µs with {figures['certificates_small']:,} certificates, "
        f"{large:.0f} µs with {figures['certificates_large']:,}",
        file=sys.stderr,
    )
    ctx.results.add("certificate_verify_lookup_us_100", small, "µs")
    ctx.results.add("certificate_verify_lookup_us_100000", large, "µs")
    # Indexed lookups: the large table may cost at most half as much again.
    ctx.results.add(
        "certificate_verify_100000_vs_100", large / small, "x", target=1.5, compare="<="
    )
    ctx.results.add("certificate_pdf_render_median_ms", figures["pdf_render_ms"], "ms")

    bulk = in_process("bench.bulk_issuance")
    learners = int(bulk["learners"])
    print(
        f"  bulk issuance: {learners} learners in {bulk['with_pdf_seconds']:.1f} s with PDFs, "
        f"{bulk['without_pdf_seconds']:.1f} s without, re-run {bulk['rerun_seconds']:.1f} s",
        file=sys.stderr,
    )
    ctx.results.add(f"certificate_bulk_issue_{learners}_seconds", bulk["with_pdf_seconds"], "s")
    ctx.results.add(
        f"certificate_bulk_issue_{learners}_without_pdf_seconds", bulk["without_pdf_seconds"], "s"
    )
    ctx.results.add(f"certificate_bulk_issue_{learners}_rerun_seconds", bulk["rerun_seconds"], "s")
    # Every learner issued once, and the second run skipped them all.
    ctx.results.add(
        "certificate_bulk_issue_missed",
        (learners - bulk["issued"]) + (learners - bulk["rerun_skipped"]),
        "learners",
        target=0,
        compare="<=",
    )
