"""What an execution's event history says: its states, its Batch jobs, its metadata function.

Step Functions records each state's entry and exit and each service task's scheduling,
submission and outcome. We read the Batch job ids from `TaskSubmitted` (the SubmitJob response)
and, failing that, `TaskSucceeded`/`TaskFailed` (the DescribeJobs of the finished job), since
only those tie an execution to its array job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class StateVisit:
    """One visit of a state: when it started and ended, and how."""

    name: str
    kind: str
    entered_at: datetime
    exited_at: datetime | None = None
    error: str | None = None
    cause: str | None = None

    @property
    def outcome(self) -> str:
        if self.error is not None:
            return "FAILED"
        return "DONE" if self.exited_at is not None else "IN PROGRESS"


@dataclass
class LambdaCall:
    """A metadata-function invocation the state machine made, with its answer if any."""

    function_name: str
    payload: dict[str, Any]
    result: dict[str, Any] | None = None


@dataclass
class ExecutionHistory:
    """The parts of an execution's history the operator commands use."""

    input: dict[str, Any]
    states: list[StateVisit] = field(default_factory=list)
    batch_job_ids: list[str] = field(default_factory=list)
    lambda_calls: list[LambdaCall] = field(default_factory=list)
    error: str | None = None
    cause: str | None = None

    def plan(self) -> dict[str, Any] | None:
        """The metadata function's plan answer (`mode: plan`), when it got that far."""
        for call in self.lambda_calls:
            if call.payload.get("mode") == "plan" and call.result is not None:
                return call.result
        return None

    def metadata_function(self) -> str | None:
        """The metadata function's name or ARN, as the state machine invoked it."""
        return self.lambda_calls[0].function_name if self.lambda_calls else None


def read_history(stepfunctions: Any, execution_arn: str) -> ExecutionHistory:
    """Fetch every event of the execution (paginated) and parse it."""
    events: list[dict[str, Any]] = []
    paginator = stepfunctions.get_paginator("get_execution_history")
    for page in paginator.paginate(executionArn=execution_arn, includeExecutionData=True):
        events.extend(page["events"])
    return parse_history(events)


def parse_history(events: list[dict[str, Any]]) -> ExecutionHistory:
    """Parse history events (oldest first) into an ExecutionHistory."""
    history = ExecutionHistory(input={})
    open_states: dict[str, StateVisit] = {}
    current: StateVisit | None = None
    pending_lambda: LambdaCall | None = None
    for event in sorted(events, key=lambda e: int(e["id"])):
        kind = str(event["type"])
        timestamp = event["timestamp"]
        if kind == "ExecutionStarted":
            history.input = _json_object(event["executionStartedEventDetails"].get("input"))
        elif kind.endswith("StateEntered"):
            name = event["stateEnteredEventDetails"]["name"]
            current = StateVisit(
                name=name, kind=kind.removesuffix("StateEntered"), entered_at=timestamp
            )
            open_states[name] = current
            history.states.append(current)
        elif kind.endswith("StateExited"):
            visit = open_states.pop(event["stateExitedEventDetails"]["name"], None)
            if visit is not None:
                visit.exited_at = timestamp
        elif kind == "TaskScheduled":
            details = event["taskScheduledEventDetails"]
            if details.get("resourceType") == "lambda":
                parameters = _json_object(details.get("parameters"))
                pending_lambda = LambdaCall(
                    function_name=str(parameters.get("FunctionName", "")),
                    payload=_as_object(parameters.get("Payload")),
                )
                history.lambda_calls.append(pending_lambda)
        elif kind == "LambdaFunctionScheduled":
            # A Task whose Resource is the function's ARN itself (not lambda:invoke).
            details = event["lambdaFunctionScheduledEventDetails"]
            pending_lambda = LambdaCall(
                function_name=str(details.get("resource", "")),
                payload=_json_object(details.get("input")),
            )
            history.lambda_calls.append(pending_lambda)
        elif kind == "LambdaFunctionSucceeded":
            if pending_lambda is not None:
                details = event["lambdaFunctionSucceededEventDetails"]
                pending_lambda.result = _json_object(details.get("output"))
                pending_lambda = None
        elif kind in ("TaskSubmitted", "TaskSucceeded"):
            details = event[f"{kind[0].lower()}{kind[1:]}EventDetails"]
            output = _json_object(details.get("output"))
            if details.get("resourceType") == "batch":
                _add_job_id(history, output)
            elif details.get("resourceType") == "lambda" and kind == "TaskSucceeded":
                if pending_lambda is not None:
                    pending_lambda.result = _as_object(output.get("Payload", output))
                    pending_lambda = None
        elif kind in ("TaskFailed", "TaskTimedOut", "LambdaFunctionFailed"):
            details = _event_details(event)
            if details.get("resourceType") == "batch":
                _add_job_id(history, _json_object(details.get("cause")))
            if current is not None:
                current.error = str(details.get("error", kind))
                current.cause = _short(details.get("cause"))
            pending_lambda = None
        elif kind in ("ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"):
            details = _event_details(event)
            history.error = str(details.get("error", kind))
            history.cause = _short(details.get("cause"))
            # A Fail state has no exit event: the execution's end is its end.
            for visit in open_states.values():
                visit.exited_at = timestamp
                visit.error = visit.error or (history.error if visit.kind == "Fail" else None)
            open_states.clear()
        elif kind == "ExecutionSucceeded":
            for visit in open_states.values():
                visit.exited_at = timestamp
            open_states.clear()
    return history


def _event_details(event: dict[str, Any]) -> dict[str, Any]:
    """The event's `<type>EventDetails` member, whatever the type ({} when absent)."""
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            return value
    return {}


def _add_job_id(history: ExecutionHistory, output: dict[str, Any]) -> None:
    job_id = output.get("JobId") or output.get("jobId")
    if isinstance(job_id, str) and job_id not in history.batch_job_ids:
        history.batch_job_ids.append(job_id)


def _json_object(text: Any) -> dict[str, Any]:
    """A JSON object from history text; {} for anything else (history data may be absent)."""
    if not isinstance(text, str):
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return _as_object(value)


def _as_object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _short(text: Any, limit: int = 300) -> str | None:
    if text is None:
        return None
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
