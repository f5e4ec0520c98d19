"""The `bgtasks` command line: discovers subcommands in `bgtasks.commands` and dispatches.

Exit codes follow DESIGN.md §4: 0 success, 1 a finding or failure, 2 bad usage. Errors go to
stderr. Each subcommand module registers itself, so adding one never touches this file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from bgtasks import __version__, commands

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand found in `bgtasks.commands`."""
    parser = argparse.ArgumentParser(
        prog="bgtasks",
        description="Run per-tenant background tasks on AWS Batch, locally or on AWS.",
    )
    parser.add_argument("--version", action="version", version=f"bgtasks {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(func(args))
    except KeyboardInterrupt:
        print("bgtasks: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
