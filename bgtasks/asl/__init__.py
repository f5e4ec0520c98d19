"""ASL (Amazon States Language) validation: schema, semantic checks, paths and JSONata.

`validate_definition(text, variables)` is the one entry point others use (the CLI's `validate`
and the embedded AWS's `ValidateStateMachineDefinition`).
"""

from __future__ import annotations

from bgtasks.asl.problem import Problem
from bgtasks.asl.validator import validate_definition

__all__ = ["Problem", "validate_definition"]
