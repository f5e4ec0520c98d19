"""`states:ListStateMachineVersions`, which moto 5.2.1 lacks.

The AWS provider reads a state machine's versions after every create and read; without an
answer `aws_sfn_state_machine` retries for minutes. The versions come from moto's own model.
"""

from __future__ import annotations

import json
from typing import Any

from bgtasks.local.shims.shape import expect_absent, is_patched, mark_patched

NAME = "sfn_list_versions"


def apply() -> None:
    from moto.stepfunctions.responses import StepFunctionResponse

    if is_patched(StepFunctionResponse, "list_state_machine_versions"):
        return
    expect_absent(StepFunctionResponse, "list_state_machine_versions", NAME)

    def list_state_machine_versions(self: Any) -> str:
        arn = self._get_param("stateMachineArn")
        state_machine = self.stepfunction_backend.describe_state_machine(arn)
        versions = getattr(state_machine, "versions", {}) or {}
        listed = [
            {
                "stateMachineVersionArn": version.arn,
                "creationDate": version.creation_date.timestamp()
                if hasattr(version.creation_date, "timestamp")
                else version.creation_date,
            }
            for _, version in sorted(versions.items(), reverse=True)
        ]
        return json.dumps({"stateMachineVersions": listed})

    StepFunctionResponse.list_state_machine_versions = mark_patched(  # type: ignore[attr-defined]
        list_state_machine_versions, NAME
    )
