"""Run every benchmark module (`bench/bench_*.py`), each printing its own figures.

Benchmarks print numbers; they do not pass or fail on them (shared machines are noisy).
`python -m bench NAME...` runs only the named ones (`validator`, `planner`, ...).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench


def main(argv: list[str]) -> int:
    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    wanted = {f"bench_{n.removeprefix('bench_')}" for n in argv}
    failures = 0
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception as error:  # one broken benchmark must not hide the others' figures
            failures += 1
            print(f"{name}: failed: {error!r}", file=sys.stderr)
        print(f"== {name}: {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
