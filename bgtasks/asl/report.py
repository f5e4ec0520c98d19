"""Formatting results per DESIGN.md §4: one text line per problem, or one JSON array."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from bgtasks.asl.problem import Problem


@dataclass(frozen=True)
class FileResult:
    """The problems found in one file (or the one problem that it could not be read)."""

    file: str
    problems: Sequence[Problem]

    @property
    def valid(self) -> bool:
        return not self.problems


def as_text(results: Sequence[FileResult]) -> str:
    """`FILE: <JSON pointer>: <message>` per problem; nothing for valid files."""
    lines = [
        f"{result.file}: {problem.pointer}: {problem.message}"
        for result in results
        for problem in result.problems
    ]
    return "".join(line + "\n" for line in lines)


def as_json(results: Sequence[FileResult]) -> str:
    """One JSON array with an object per file."""
    payload = [
        {
            "file": result.file,
            "valid": result.valid,
            "problems": [{"pointer": p.pointer, "message": p.message} for p in result.problems],
        }
        for result in results
    ]
    return json.dumps(payload, indent=2) + "\n"
