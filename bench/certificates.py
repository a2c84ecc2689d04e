"""The certificate registry: verification as fast with 100,000 certificates as with 100,
and the median time to render a certificate's PDF (in-process; see bench/cert_lookup.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import Context
from bench.main import PROJECT_DIR, bench_environment


def run(ctx: Context) -> None:
    output = subprocess.run(
        [sys.executable, "-m", "bench.cert_lookup"],
        cwd=PROJECT_DIR,
        env=bench_environment(),
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
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
