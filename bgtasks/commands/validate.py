"""`bgtasks validate FILE...`: validate ASL definitions (DESIGN.md §4 output contract)."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from bgtasks.asl import validate_definition
from bgtasks.asl.loading import MAX_DEFINITION_BYTES
from bgtasks.asl.problem import Problem
from bgtasks.asl.report import FileResult, as_json, as_text

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_USAGE = 2

_VAR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.DOTALL)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="validate Amazon States Language definitions",
        description=(
            "Validate ASL definition files: JSON Schema, state graph, paths, intrinsic "
            "functions and JSONata. Prints `FILE: <JSON pointer>: <message>` per problem. "
            "Terraform placeholders (${name}) are accepted where a value would be."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="definition files to check")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (one line per problem, the default) or json (one array, an object per file)",
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="substitute ${NAME} with VALUE before checking (repeatable)",
    )
    parser.set_defaults(func=run)


def _parse_vars(raw: list[str]) -> dict[str, str] | None:
    variables: dict[str, str] = {}
    for item in raw:
        match = _VAR.fullmatch(item)
        if match is None:
            return None
        variables[match.group(1)] = match.group(2)
    return variables


def _read(path: str) -> tuple[str | None, str | None]:
    """The file's text, or an error message saying why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            # Read one byte past the limit: enough to report the size without loading a huge file.
            data = handle.read(MAX_DEFINITION_BYTES + 1)
    except IsADirectoryError:
        return None, "cannot read: is a directory"
    except FileNotFoundError:
        return None, "cannot read: no such file"
    except PermissionError:
        return None, "cannot read: permission denied"
    except OSError as error:
        return None, f"cannot read: {error.strerror or error}"
    if len(data) > MAX_DEFINITION_BYTES:
        return None, f"file is over the 1 MiB ({MAX_DEFINITION_BYTES} bytes) AWS definition limit"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return None, f"not UTF-8 text (byte {error.start})"


def run(args: argparse.Namespace) -> int:
    variables = _parse_vars(args.var)
    if variables is None:
        print("bgtasks validate: --var must be NAME=VALUE", file=sys.stderr)
        return EXIT_USAGE
    results: list[FileResult] = []
    unreadable: list[FileResult] = []
    for path in args.files:
        text, error = _read(path)
        if text is None:
            result = FileResult(path, [Problem("", error or "cannot read")])
            unreadable.append(result)
        else:
            result = FileResult(path, validate_definition(text, variables))
        results.append(result)
    if args.format == "json":
        sys.stdout.write(as_json(results))
    else:
        # Findings go to stdout; a file that could not be read at all is an error (stderr).
        sys.stdout.write(as_text([r for r in results if r not in unreadable]))
        sys.stderr.write(as_text(unreadable))
    return EXIT_OK if all(result.valid for result in results) else EXIT_FINDING
