"""`python -m worker`: run this Batch child's chunk (DESIGN.md §4, worker/README.md).

Everything comes from the environment; the job definition's `command` stays empty.
"""

from __future__ import annotations

import os
import sys

from worker.errors import EXIT_BAD_INPUT, EXIT_OK
from worker.runner import main

USAGE = """usage: python -m worker

Runs one AWS Batch array child: reads its chunk from BGTASKS_CHUNKS_URI at index
AWS_BATCH_JOB_ARRAY_INDEX (absent: 0), runs the chunk's task, writes the outputs and
runs/<run_id>/results/<index>.json. Exit codes: 0 done, 1 internal error, 2 bad input,
3 too many failed items, 75 transient (retry). See worker/README.md.
"""


def entry(argv: list[str]) -> int:
    if argv in (["-h"], ["--help"]):
        sys.stdout.write(USAGE)
        return EXIT_OK
    if argv:
        sys.stderr.write(
            f"worker: takes no arguments (settings come from the environment): {argv}\n"
        )
        return EXIT_BAD_INPUT
    return main(os.environ)


if __name__ == "__main__":
    sys.exit(entry(sys.argv[1:]))
