"""Validation against the ASL JSON Schema in `statemachines/schema/` (draft 2020-12).

The schema fixes the shape: which fields each state type may have, their types and ranges,
fields that exclude each other. A value that is exactly an unfilled `${name}` placeholder is
accepted wherever a value would be, so a schema error at such a node is dropped.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from bgtasks.asl.loading import is_placeholder
from bgtasks.asl.problem import Problem, pointer_join

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "statemachines" / "schema" / "asl.schema.json"


@cache
def validator() -> Draft202012Validator:
    """The compiled validator (built once per process: the schema does not change)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _pointer(error: ValidationError) -> str:
    return pointer_join("", *error.absolute_path)


def _message(error: ValidationError) -> str:
    """A short message: for a failed oneOf/anyOf, the most relevant sub-error's."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        return _message(best_match(error.context))
    if error.validator == "additionalProperties":
        return f"field not allowed here: {error.message.split('(')[-1].rstrip(')')}"
    if error.validator == "not" and isinstance(error.validator_value, dict):
        fields = error.validator_value.get("required")
        if fields:
            return f"only one of {' and '.join(fields)} may be given"
    if error.validator == "oneOf" and isinstance(error.validator_value, list):
        fields = [
            rule["required"][0]
            for rule in error.validator_value
            if isinstance(rule, dict) and "required" in rule
        ]
        if fields:
            return f"exactly one of {', '.join(fields)} is required"
    return error.message


def _leaves(error: ValidationError) -> list[ValidationError]:
    """Errors inside `if/then` and `allOf` are reported at their own node."""
    return [error]


def check(root: dict[str, Any]) -> list[Problem]:
    """Schema problems of a definition."""
    problems: list[Problem] = []
    for error in validator().iter_errors(root):
        for leaf in _leaves(error):
            if is_placeholder(leaf.instance):
                continue
            problems.append(Problem(_pointer(leaf), _message(leaf)))
    return problems
