"""`python -m worker`: run this Batch child's chunk (DESIGN.md §4, worker/README.md)."""

from __future__ import annotations

import os
import sys

from worker.runner import main

if __name__ == "__main__":
    sys.exit(main(os.environ))
