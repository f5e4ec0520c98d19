"""The rendered state machines RUN on moto's Step Functions interpreter (the embedded AWS's).

Service calls are answered by the interpreter's own mocked-response mode (Step Functions Local
style), so the parameters, paths, intrinsic functions, Choice rules, Retry and Catch of our
definitions are all evaluated for real; only the Lambda/Batch/SNS responses are canned. The
seam used (`Execution._get_start_execution_worker`, `MockTestCase`) is moto 5.2.1's: if an
upgrade moves it, these tests fail loudly.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from asl_helpers import ACCOUNT, BACKGROUND_TASK, CHAINED_STAGES, REGION, render
from moto import mock_aws
from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task import mock_eval_utils
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.backend import execution as moto_execution
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.mocking.mock_config import (
    MockedResponse,
    MockedResponseReturn,
    MockedResponseThrow,
    MockTestCase,
    StateMockedResponses,
)

RUN_ID = "run-1"


def _plan(size: int) -> dict[str, Any]:
    return {
        "Payload": {
            "run_id": RUN_ID,
            "task": "thumbnails",
            "bucket": "runs",
            "chunks_uri": f"s3://runs/runs/{RUN_ID}/chunks/",
            "size": size,
            "tenants": 3,
            "items": 40,
        },
        "StatusCode": 200,
    }


def _summary(status: str, failed: list[int]) -> dict[str, Any]:
    return {
        "Payload": {
            "run_id": RUN_ID,
            "report_uri": f"s3://runs/runs/{RUN_ID}/report.json",
            "status": status,
            "succeeded_chunks": 5 - len(failed),
            "failed_chunks": failed,
        },
        "StatusCode": 200,
    }


FAILURE_RECORDED: dict[str, Any] = {
    "Payload": {
        "run_id": RUN_ID,
        "report_uri": f"s3://runs/runs/{RUN_ID}/report.json",
        "status": "FAILED",
        "message": "run run-1 of thumbnails failed: planning failed",
    },
    "StatusCode": 200,
}
BATCH_OK = {"JobId": "job-1", "JobName": "thumbnails", "Status": "SUCCEEDED"}
SUBMITTED = {"JobId": "job-a", "JobName": "thumbnails-a", "JobArn": "arn:job"}
PUBLISHED = {"MessageId": "m-1"}


def _throw(error: str, cause: str = "boom") -> MockedResponse:
    return MockedResponseThrow(range_start=0, range_end=0, error=error, cause=cause)


def _returns(*payloads: Any) -> list[MockedResponse]:
    return [MockedResponseReturn(i, i, payload) for i, payload in enumerate(payloads)]


def _case(
    responses: dict[str, list[MockedResponse] | MockedResponse | dict[str, Any]],
) -> MockTestCase:
    states = []
    for state, response in responses.items():
        if isinstance(response, dict):
            listed: list[MockedResponse] = _returns(response)
        elif isinstance(response, MockedResponse):
            listed = [response]
        else:
            listed = response
        states.append(StateMockedResponses(state, f"{state}-response", listed))
    return MockTestCase("machine", "case", states)


def _throw_states_errors_too(env: Any, mocked_response: MockedResponseThrow) -> None:
    """Let a canned response raise a `States.*` error, as a real service task does.

    moto's mocked mode only throws custom error names, but a failed Batch job reaches the state
    machine as `States.TaskFailed` (moto's own Batch `.sync` resolver raises exactly that).
    """
    if not mocked_response.error.startswith("States."):
        original_throw(env=env, mocked_response=mocked_response)
        return
    details = TaskFailedEventDetails(error=mocked_response.error, cause=mocked_response.cause)
    raise FailureEventException(
        FailureEvent(
            env=env,
            error_name=StatesErrorName.from_name(mocked_response.error),
            event_type=HistoryEventType.TaskFailed,
            event_details=EventDetails(taskFailedEventDetails=details),  # type: ignore[typeddict-item]
        )
    )


original_throw = mock_eval_utils._eval_mocked_response_throw


@pytest.fixture
def sfn(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(mock_eval_utils, "_eval_mocked_response_throw", _throw_states_errors_too)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield boto3.client("stepfunctions", region_name=REGION)


def _run(
    sfn: Any, monkeypatch: pytest.MonkeyPatch, definition_file: Path, case: MockTestCase
) -> tuple[str, list[dict[str, Any]]]:
    """Run one execution with canned service responses; return its status and history."""

    def worker_with_mocks(self: moto_execution.Execution) -> ExecutionWorker:
        worker = original(self)
        worker._mock_test_case = case  # type: ignore[misc]
        return worker

    original = moto_execution.Execution._get_start_execution_worker
    monkeypatch.setattr(moto_execution.Execution, "_get_start_execution_worker", worker_with_mocks)
    # One state machine per execution: moto cannot start a second execution of one machine
    # in-process (it deep-copies the past executions and their locks).
    machine = sfn.create_state_machine(
        name=f"bgtasks-test-{uuid.uuid4().hex[:8]}",
        definition=render(definition_file),
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/sfn",
    )
    execution = sfn.start_execution(
        stateMachineArn=machine["stateMachineArn"], name=RUN_ID, input="{}"
    )
    deadline = time.monotonic() + 60
    status = "RUNNING"
    while status == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
        status = sfn.describe_execution(executionArn=execution["executionArn"])["status"]
    history = sfn.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)
    return status, history["events"]


def _entered(events: list[dict[str, Any]]) -> list[str]:
    return [
        event["stateEnteredEventDetails"]["name"]
        for event in events
        if "stateEnteredEventDetails" in event
    ]


def _input_of(events: list[dict[str, Any]], state: str) -> Any:
    """The parameters the interpreter sent for a Task state (TaskScheduled event)."""
    entered = False
    for event in events:
        details = event.get("stateEnteredEventDetails")
        if details is not None:
            entered = details["name"] == state
        scheduled = event.get("taskScheduledEventDetails")
        if entered and scheduled is not None:
            return json.loads(scheduled["parameters"])
    raise AssertionError(f"no task scheduled in {state}")


def test_nothing_to_do_succeeds_without_batch(sfn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    status, events = _run(sfn, monkeypatch, BACKGROUND_TASK, _case({"Plan": _plan(0)}))
    assert status == "SUCCEEDED"
    assert _entered(events) == ["Plan", "HowManyChunks", "NothingToDo"]
    plan = _input_of(events, "Plan")
    assert plan["Payload"] == {
        "mode": "plan",
        "run_id": RUN_ID,
        "task": "thumbnails",
        "max_chunks": 100,
    }


def test_one_chunk_runs_a_plain_job(sfn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _case(
        {"Plan": _plan(1), "RunSingleJob": BATCH_OK, "Summarise": _summary("SUCCEEDED", [])}
    )
    status, events = _run(sfn, monkeypatch, BACKGROUND_TASK, case)
    assert status == "SUCCEEDED"
    assert _entered(events) == [
        "Plan", "HowManyChunks", "RunSingleJob", "Summarise", "DidAllChunksSucceed", "Done"
    ]  # fmt: skip
    job = _input_of(events, "RunSingleJob")
    assert "ArrayProperties" not in job
    assert (
        job["ContainerOverrides"]["Environment"][0]["Value"] == f"s3://runs/runs/{RUN_ID}/chunks/"
    )


def test_many_chunks_run_an_array_job_sized_by_the_plan(
    sfn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(
        {"Plan": _plan(5), "RunArrayJob": BATCH_OK, "Summarise": _summary("SUCCEEDED", [])}
    )
    status, events = _run(sfn, monkeypatch, BACKGROUND_TASK, case)
    assert status == "SUCCEEDED"
    job = _input_of(events, "RunArrayJob")
    assert job["ArrayProperties"] == {"Size": 5}
    assert job["JobQueue"].endswith(":job-queue/bgtasks-local-thumbnails")
    assert {"Name": "BGTASKS_CHUNKS_URI", "Value": f"s3://runs/runs/{RUN_ID}/chunks/"} in job[
        "ContainerOverrides"
    ]["Environment"]
    summary = _input_of(events, "Summarise")["Payload"]
    assert summary["mode"] == "summary"
    assert summary["size"] == 5
    assert summary["batch"]["JobId"] == "job-1"


def test_failed_array_job_is_summarised_then_notified_then_fails(
    sfn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(
        {
            "Plan": _plan(5),
            "RunArrayJob": _throw("States.TaskFailed", '{"Status": "FAILED"}'),
            "Summarise": _summary("FAILED", [1, 3]),
            "NotifyChunksFailed": PUBLISHED,
        }
    )
    status, events = _run(sfn, monkeypatch, BACKGROUND_TASK, case)
    assert status == "FAILED"
    assert _entered(events)[-4:] == [
        "Summarise", "DidAllChunksSucceed", "NotifyChunksFailed", "ChunksFailed"
    ]  # fmt: skip
    assert _input_of(events, "Summarise")["Payload"]["batch"]["Error"] == "States.TaskFailed"
    message = _input_of(events, "NotifyChunksFailed")["Message"]
    assert "[1,3]" in message and "report.json" in message


def test_planning_error_goes_through_failure_mode_then_sns_then_fail(
    sfn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(
        {
            "Plan": _throw("ValueError", "no tenant manifest"),
            "RecordFailure": FAILURE_RECORDED,
            "NotifyFailure": PUBLISHED,
        }
    )
    status, events = _run(sfn, monkeypatch, BACKGROUND_TASK, case)
    assert status == "FAILED"
    assert _entered(events) == ["Plan", "RecordFailure", "NotifyFailure", "RunFailed"]
    failure = _input_of(events, "RecordFailure")["Payload"]
    assert failure == {
        "mode": "failure",
        "run_id": RUN_ID,
        "task": "thumbnails",
        "error": {"Error": "ValueError", "Cause": "no tenant manifest"},
    }
    recorded: dict[str, Any] = FAILURE_RECORDED["Payload"]
    assert _input_of(events, "NotifyFailure")["Message"] == recorded["message"]


def test_transient_lambda_error_is_retried(sfn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    flaky: list[MockedResponse] = [
        MockedResponseThrow(0, 0, "Lambda.TooManyRequestsException", "slow down"),
        MockedResponseReturn(1, 1, _plan(0)),
    ]
    status, events = _run(sfn, monkeypatch, BACKGROUND_TASK, _case({"Plan": flaky}))
    assert status == "SUCCEEDED"
    assert _entered(events)[-1] == "NothingToDo"


def test_unrecorded_failure_is_still_notified(sfn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _case(
        {
            "Plan": _throw("ValueError", "no tenant manifest"),
            "RecordFailure": _throw("Lambda.Unknown", "the report bucket is gone"),
            "NotifyUnrecordedFailure": PUBLISHED,
        }
    )
    status, events = _run(sfn, monkeypatch, BACKGROUND_TASK, case)
    assert status == "FAILED"
    assert _entered(events)[-2:] == ["NotifyUnrecordedFailure", "RunFailed"]
    assert "no tenant manifest" in _input_of(events, "NotifyUnrecordedFailure")["Message"]


def test_chained_stages_submit_n_to_n_and_wait_only_for_the_last(
    sfn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(
        {
            "Plan": _plan(4),
            "SubmitArrayStageA": SUBMITTED,
            "SubmitArrayStageB": {**SUBMITTED, "JobId": "job-b"},
            "RunArrayStageC": BATCH_OK,
            "Summarise": _summary("SUCCEEDED", []),
        }
    )
    status, events = _run(sfn, monkeypatch, CHAINED_STAGES, case)
    assert status == "SUCCEEDED"
    stage_b = _input_of(events, "SubmitArrayStageB")
    assert stage_b["DependsOn"] == [{"JobId": "job-a", "Type": "N_TO_N"}]
    stage_c = _input_of(events, "RunArrayStageC")
    assert stage_c["DependsOn"] == [{"JobId": "job-b", "Type": "N_TO_N"}]
    assert stage_c["ArrayProperties"] == {"Size": 4}
