"""``make bench``: prepare a database, start gunicorn, run the benchmarks, report.

Usage: ``.venv/bin/python bench/run.py [--seconds S] [--quick] [--only NAME ...]``.
Exits 1 when a figure misses its target, 2 when the bench could not run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.main import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
