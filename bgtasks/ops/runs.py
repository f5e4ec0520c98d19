"""`bgtasks run`: start one execution of a task's state machine, and wait for it if asked."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bgtasks.ops.names import (
    DEFAULT_PROJECT,
    RUN_ID_PATTERN,
    ExecutionRef,
    find_state_machine,
    new_run_id,
    state_machine_name,
)

FINAL_EXECUTION_STATUSES = frozenset({"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"})


@dataclass(frozen=True)
class RunRequest:
    """What to start: the task and the env (the state machine's template fixes the rest)."""

    task: str
    env: str
    project: str = DEFAULT_PROJECT
    run_id: str | None = None


def start_run(stepfunctions: Any, request: RunRequest) -> ExecutionRef:
    """Start the execution; its name is the run id (given, or a fresh one)."""
    run_id = request.run_id or new_run_id(request.task)
    if not RUN_ID_PATTERN.match(run_id):
        raise ValueError(f"bad run id {run_id!r}: 1 to 80 of A-Z a-z 0-9 _ -")
    machine = find_state_machine(
        stepfunctions, state_machine_name(request.env, request.task, request.project)
    )
    started = stepfunctions.start_execution(
        stateMachineArn=machine, name=run_id, input=json.dumps({})
    )
    return ExecutionRef(arn=str(started["executionArn"]), run_id=run_id, state_machine_arn=machine)


def wait_for_execution(
    stepfunctions: Any,
    execution_arn: str,
    timeout: float,
    poll: float = 0.5,
    on_poll: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Poll DescribeExecution until the execution ends or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        described: dict[str, Any] = stepfunctions.describe_execution(executionArn=execution_arn)
        if on_poll is not None:
            on_poll(described)
        if described["status"] in FINAL_EXECUTION_STATUSES:
            return described
        if time.monotonic() >= deadline:
            raise TimeoutError(f"execution still {described['status']} after {timeout:.0f}s")
        time.sleep(poll)
