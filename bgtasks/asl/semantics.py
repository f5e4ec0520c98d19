"""Checks the schema cannot express: state graph, ranges, names, payload templates."""

from __future__ import annotations

from typing import Any

from bgtasks.asl.problem import Problem


def check(root: dict[str, Any]) -> list[Problem]:
    """Semantic problems of a definition."""
    return []
