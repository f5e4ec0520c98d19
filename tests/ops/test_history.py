"""Parsing an execution's history into states, Batch job ids and metadata-function calls."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bgtasks.ops.history import parse_history

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def event(number: int, kind: str, **details: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": number,
        "type": kind,
        "timestamp": T0 + timedelta(seconds=number),
    }
    if details:
        key = kind[0].lower() + kind[1:] + "EventDetails"
        if kind.endswith("StateEntered"):
            key = "stateEnteredEventDetails"
        elif kind.endswith("StateExited"):
            key = "stateExitedEventDetails"
        entry[key] = details
    return entry


PLAN = {"run_id": "r1", "chunks_uri": "s3://runs/runs/r1/chunks/", "size": 3, "tenants": 2}
FAILED_JOB = {"JobId": "job-1", "Status": "FAILED", "StatusReason": "Array Child Job failed"}
EVENTS = [
    event(1, "ExecutionStarted", input="{}"),
    event(2, "TaskStateEntered", name="Plan", input="{}"),
    event(
        3,
        "TaskScheduled",
        resourceType="lambda",
        resource="invoke",
        parameters=json.dumps({"FunctionName": "arn:fn", "Payload": {"mode": "plan"}}),
    ),
    event(4, "TaskSucceeded", resourceType="lambda", output=json.dumps({"Payload": PLAN})),
    event(5, "TaskStateExited", name="Plan", output="{}"),
    event(6, "TaskStateEntered", name="RunArrayJob", input="{}"),
    event(7, "TaskScheduled", resourceType="batch", resource="submitJob.sync", parameters="{}"),
    event(8, "TaskSubmitted", resourceType="batch", output=json.dumps({"JobId": "job-1"})),
    event(
        9,
        "TaskFailed",
        resourceType="batch",
        error="States.TaskFailed",
        cause=json.dumps(FAILED_JOB),
    ),
    event(10, "TaskStateExited", name="RunArrayJob", output="{}"),
    event(11, "FailStateEntered", name="ChunksFailed", input="{}"),
    event(12, "ExecutionFailed", error="Bgtasks.ChunksFailed", cause="Some chunks failed"),
]


def test_the_plan_job_and_function_are_read_from_the_history() -> None:
    history = parse_history(list(reversed(EVENTS)))  # order of arrival must not matter

    assert history.plan() == PLAN
    assert history.batch_job_ids == ["job-1"]
    assert history.metadata_function() == "arn:fn"


def test_states_carry_their_outcome_and_the_execution_its_error() -> None:
    history = parse_history(EVENTS)

    outcomes = [(s.name, s.outcome) for s in history.states]
    assert outcomes == [("Plan", "DONE"), ("RunArrayJob", "FAILED"), ("ChunksFailed", "FAILED")]
    assert history.states[1].error == "States.TaskFailed"
    assert history.error == "Bgtasks.ChunksFailed"
    assert history.states[0].exited_at == T0 + timedelta(seconds=5)


def test_a_job_known_only_from_its_failure_is_still_found() -> None:
    events = [e for e in EVENTS if e["type"] != "TaskSubmitted"]

    assert parse_history(events).batch_job_ids == ["job-1"]


def test_a_history_without_data_gives_no_plan() -> None:
    events = [
        event(1, "ExecutionStarted", roleArn="arn:role"),
        event(2, "TaskStateEntered", name="Plan"),
    ]

    history = parse_history(events)

    assert history.plan() is None and history.batch_job_ids == [] and history.input == {}
