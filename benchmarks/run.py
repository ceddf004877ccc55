"""Run the benchmarks: `python -m benchmarks.run` prints each figure as a ratio against its baseline."""

from __future__ import annotations

import sys

from benchmarks import bench_model
from benchmarks.common import print_table

SUITES = [bench_model]


def main() -> int:
    figures = [make() for suite in SUITES for make in suite.FIGURES]
    return 0 if print_table(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
