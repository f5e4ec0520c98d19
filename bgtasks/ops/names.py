"""Names of things the operator CLI looks up (docs/interfaces.md, "Names").

A task's state machine is `<project>-<env>-<task>`; a run id is the execution's name, and it is
also the `run_id` under `runs/<run_id>/` in the runs bucket.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

DEFAULT_PROJECT = "bgtasks"
# Execution names allow up to 80 characters; the runs bucket layout needs this character set.
RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
TASK_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
ENV_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,19}$")


class NotFoundError(Exception):
    """A state machine, execution or job the operator named does not exist."""


def state_machine_name(env: str, task: str, project: str = DEFAULT_PROJECT) -> str:
    """The state machine that runs `task` in `env`."""
    return f"{project}-{env}-{task}"


def new_run_id(task: str, now: datetime | None = None) -> str:
    """A fresh run id: readable (task and UTC time) and unique (random suffix)."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{task}-{moment}-{secrets.token_hex(3)}"


def find_state_machine(stepfunctions: Any, name: str) -> str:
    """The ARN of the state machine called `name`; NotFoundError when there is none."""
    for page in stepfunctions.get_paginator("list_state_machines").paginate():
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                return str(machine["stateMachineArn"])
    raise NotFoundError(f"no state machine named {name} (is the env applied in this region?)")


def execution_arn(state_machine_arn: str, run_id: str) -> str:
    """The ARN an execution named `run_id` of that state machine has (AWS's own scheme)."""
    return state_machine_arn.replace(":stateMachine:", ":execution:", 1) + f":{run_id}"


@dataclass(frozen=True)
class ExecutionRef:
    """An execution, resolved: its ARN, run id (its name) and state machine."""

    arn: str
    run_id: str
    state_machine_arn: str


def resolve_execution(stepfunctions: Any, ref: str, project: str = DEFAULT_PROJECT) -> ExecutionRef:
    """Resolve an execution ARN or a run id to the execution.

    A bare run id is looked for among the project's state machines (`<project>-*`), since the
    operator usually has the run id from a report or a bucket key, not the ARN.
    """
    if ref.startswith("arn:"):
        return _describe(stepfunctions, ref)
    if not RUN_ID_PATTERN.match(ref):
        raise ValueError(f"not an execution ARN or run id: {ref!r}")
    for page in stepfunctions.get_paginator("list_state_machines").paginate():
        for machine in page["stateMachines"]:
            if not machine["name"].startswith(f"{project}-"):
                continue
            try:
                return _describe(stepfunctions, execution_arn(machine["stateMachineArn"], ref))
            except NotFoundError:
                continue
    raise NotFoundError(f"no execution named {ref} in any {project}-* state machine")


def _describe(stepfunctions: Any, arn: str) -> ExecutionRef:
    try:
        described = stepfunctions.describe_execution(executionArn=arn)
    except stepfunctions.exceptions.ExecutionDoesNotExist as error:
        raise NotFoundError(f"no execution {arn}") from error
    except stepfunctions.exceptions.InvalidArn as error:
        raise NotFoundError(f"not a valid execution ARN: {arn}") from error
    return ExecutionRef(
        arn=str(described["executionArn"]),
        run_id=str(described["name"]),
        state_machine_arn=str(described["stateMachineArn"]),
    )
