"""`python -m bgtasks.asl FILE...`: `bgtasks validate` without loading the other subcommands.

Same options, output and exit codes; for hooks that run once per commit, where the start-up
time of the whole CLI (every subcommand's imports) would dominate.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bgtasks.commands import validate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bgtasks.asl")
    subparsers = parser.add_subparsers(dest="command", required=True)
    validate.register(subparsers)
    args = parser.parse_args(["validate", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
