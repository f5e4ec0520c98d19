"""The state machine's events (docs/interfaces.md), checked into typed requests.

Anything malformed raises `BadEventError` naming the field: Step Functions shows the error's
class name as `Error` and this message as `Cause`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from metadata_fn.errors import BadEventError
from metadata_fn.layout import RUN_ID, TASK
from metadata_fn.planning import MAX_CHUNKS

MODES = ("plan", "summary", "failure")


@dataclass(frozen=True)
class PlanRequest:
    run_id: str
    task: str
    max_chunks: int | None = None
    exclude_tenants: frozenset[str] = frozenset()
    force: bool = False
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SummaryRequest:
    run_id: str
    task: str
    chunks_uri: str
    size: int
    batch: Any = None


@dataclass(frozen=True)
class FailureRequest:
    run_id: str
    task: str
    error: str
    cause: str


def event_mode(event: Any) -> str:
    if not isinstance(event, dict):
        raise BadEventError(f"the event must be a JSON object, got {type(event).__name__}")
    mode = event.get("mode")
    if mode not in MODES:
        raise BadEventError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    return str(mode)


def parse_plan(event: dict[str, Any]) -> PlanRequest:
    max_chunks = event.get("max_chunks")
    if max_chunks is not None:
        max_chunks = _int_field(event, "max_chunks", 1, MAX_CHUNKS)
    excluded = event.get("exclude_tenants", [])
    if not isinstance(excluded, list) or not all(isinstance(t, str) for t in excluded):
        raise BadEventError("exclude_tenants must be a list of tenant ids")
    force = event.get("force", False)
    if not isinstance(force, bool):
        raise BadEventError("force must be true or false")
    parameters = event.get("parameters", {})
    if not isinstance(parameters, dict):
        raise BadEventError("parameters must be an object")
    return PlanRequest(
        _run_id(event), _task(event), max_chunks, frozenset(excluded), force, parameters
    )


def parse_summary(event: dict[str, Any]) -> SummaryRequest:
    chunks_uri = event.get("chunks_uri")
    if not isinstance(chunks_uri, str) or not chunks_uri.startswith("s3://"):
        raise BadEventError(f"chunks_uri must be an s3:// URI, got {chunks_uri!r}")
    size = _int_field(event, "size", 0, MAX_CHUNKS)
    return SummaryRequest(_run_id(event), _task(event), chunks_uri, size, event.get("batch"))


def parse_failure(event: dict[str, Any]) -> FailureRequest:
    error = event.get("error")
    if not isinstance(error, dict):
        raise BadEventError("error must be an object with Error and Cause")
    name = error.get("Error")
    cause = error.get("Cause", "")
    return FailureRequest(
        _run_id(event),
        _task(event),
        name if isinstance(name, str) and name else "UnknownError",
        cause if isinstance(cause, str) else str(cause),
    )


def _run_id(event: dict[str, Any]) -> str:
    run_id = event.get("run_id")
    if not isinstance(run_id, str) or not RUN_ID.match(run_id):
        raise BadEventError(f"run_id must match {RUN_ID.pattern}, got {run_id!r}")
    return run_id


def _task(event: dict[str, Any]) -> str:
    task = event.get("task")
    if not isinstance(task, str) or not TASK.match(task):
        raise BadEventError(f"task must match {TASK.pattern}, got {task!r}")
    return task


def _int_field(event: dict[str, Any], name: str, low: int, high: int) -> int:
    value = event.get(name)
    # Step Functions may hand a templated number over as a string: accept plain digits too.
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise BadEventError(f"{name} must be an integer {low}..{high}, got {value!r}")
    return value
