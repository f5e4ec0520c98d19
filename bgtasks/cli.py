"""The `bgtasks` command line: discovers subcommands in `bgtasks.commands` and dispatches.

Exit codes follow DESIGN.md §4: 0 success, 1 a finding or failure, 2 bad usage. Errors go to
stderr. Each subcommand module registers itself, so adding one never touches this file. A module
is named after the subcommand it adds: when the command line names one, only that module is
imported (some pull in boto3, which costs a third of a second that `bgtasks validate` in a
pre-commit hook should not pay); help and unknown commands import them all.
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


def command_modules(argv: Sequence[str]) -> list[str]:
    """The `bgtasks.commands` modules to load: the one `argv` names, or all of them."""
    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return [first] if first in names else names


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The top-level parser with the subcommands of `command_modules(argv)`."""
    parser = argparse.ArgumentParser(
        prog="bgtasks",
        description="Run per-tenant background tasks on AWS Batch, locally or on AWS.",
    )
    parser.add_argument("--version", action="version", version=f"bgtasks {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules(argv):
        importlib.import_module(f"{commands.__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
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
