"""Run the benchmarks: `python -m benchmarks.run` prints each figure as a ratio against its baseline."""

from __future__ import annotations

import sys

from benchmarks import bench_bundle, bench_export, bench_gui, bench_import, bench_memory, bench_model
from benchmarks.common import print_table

SUITES = [bench_model, bench_export, bench_import, bench_gui, bench_bundle, bench_memory]


def main() -> int:
    figures = []
    for suite in SUITES:
        for make in suite.FIGURES:
            made = make()
            figures.extend(made if isinstance(made, list) else [made])
    return 0 if print_table(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
