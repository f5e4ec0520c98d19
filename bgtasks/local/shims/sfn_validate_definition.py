"""`states:ValidateStateMachineDefinition`, answered by our ASL validator.

moto 5.2.1 does not implement it; the AWS provider calls it before creating a state machine
and retries for minutes on the 404. Answering with our validator makes a bad definition fail
`terraform apply` as it would on AWS.
"""

from __future__ import annotations

import json
from typing import Any

from bgtasks.local.shims.shape import expect_absent, is_patched, mark_patched

NAME = "sfn_validate_definition"
_MAX_DIAGNOSTICS = 100


def diagnostics_for(definition: str) -> list[dict[str, str]]:
    """AWS-shaped diagnostics (severity, code, message, location) for an ASL definition."""
    try:
        from bgtasks.asl import validate_definition
    except ImportError:  # the validator is another part; without it, check JSON only
        return _json_diagnostics(definition)
    return [
        {
            "severity": "ERROR",
            "code": "SCHEMA_VALIDATION_FAILED",
            "message": problem.message,
            "location": problem.pointer or "/",
        }
        for problem in validate_definition(definition)
    ]


def _json_diagnostics(definition: str) -> list[dict[str, str]]:
    try:
        json.loads(definition)
    except ValueError as error:
        return [
            {
                "severity": "ERROR",
                "code": "INVALID_JSON_DESCRIPTION",
                "message": str(error),
                "location": "/",
            }
        ]
    return []


def validation_response(definition: str) -> dict[str, Any]:
    diagnostics = diagnostics_for(definition)
    return {
        "result": "FAIL" if diagnostics else "OK",
        "diagnostics": diagnostics[:_MAX_DIAGNOSTICS],
        "truncated": len(diagnostics) > _MAX_DIAGNOSTICS,
    }


def apply() -> None:
    from moto.stepfunctions.responses import StepFunctionResponse

    if is_patched(StepFunctionResponse, "validate_state_machine_definition"):
        return
    expect_absent(StepFunctionResponse, "validate_state_machine_definition", NAME)

    def validate_state_machine_definition(self: Any) -> str:
        return json.dumps(validation_response(self._get_param("definition") or ""))

    StepFunctionResponse.validate_state_machine_definition = mark_patched(  # type: ignore[attr-defined]
        validate_state_machine_definition, NAME
    )
