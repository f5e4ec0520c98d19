"""Summary and failure modes against moto: results read, failed chunks named, run report and
per-tenant last-success records written (and honoured by the next plan)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from metadata_fn.errors import BadEventError, RunStateError
from metadata_fn.failure import failure_reason
from metadata_fn.handler import handler
from metadata_helpers import (
    RUNS_BUCKET,
    FakeLambdaContext,
    assert_valid,
    create_bucket,
    get_json,
    log_lines,
    put_images,
    put_manifest,
)

BUCKET = "tenant-data-a"


@pytest.fixture
def planned_run(function_env: Callable[..., None], aws: Any) -> dict[str, Any]:
    """A planned run of 3 chunks: big (split over all 3), small1 and small2 whole."""
    create_bucket(aws, BUCKET)
    put_images(aws, BUCKET, "big/", 30)
    put_images(aws, BUCKET, "small1/", 2)
    put_images(aws, BUCKET, "small2/", 1)
    put_manifest(
        aws,
        [
            {"tenant_id": tenant, "bucket": BUCKET, "prefix": f"{tenant}/"}
            for tenant in ("big", "small1", "small2")
        ],
    )
    function_env(BGTASKS_WORKERS="3")
    answer = handler({"mode": "plan", "run_id": "r1", "task": "thumbnails"}, FakeLambdaContext())
    assert answer["size"] == 3
    return answer


def chunk(s3: Any, index: int) -> dict[str, Any]:
    return get_json(s3, f"runs/r1/chunks/{index}.json")


def put_result(
    s3: Any, index: int, status: str = "SUCCEEDED", failed_items: dict[str, int] | None = None
) -> None:
    """The result a worker child writes for its chunk (schemas/result.schema.json)."""
    now = datetime.now(UTC).isoformat()
    failed_items = failed_items or {}
    tenants = []
    for unit in chunk(s3, index)["units"]:
        failed = failed_items.get(unit["tenant_id"], 0)
        tenants.append(
            {
                "tenant_id": unit["tenant_id"],
                "part": unit["part"],
                "parts": unit["parts"],
                "items_ok": len(unit["items"]) - failed,
                "items_failed": failed,
                "outputs": 3 * (len(unit["items"]) - failed),
                "failures": [{"item": unit["items"][0], "error": "corrupt"}] if failed else [],
            }
        )
    result = {
        "schema_version": 1,
        "run_id": "r1",
        "task": "thumbnails",
        "index": index,
        "status": status,
        "attempt": 1,
        "started_at": now,
        "finished_at": now,
        "tenants": tenants,
    }
    assert_valid("result", result)
    s3.put_object(Bucket=RUNS_BUCKET, Key=f"runs/r1/results/{index}.json", Body=json.dumps(result))


def summary_event(answer: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "mode": "summary",
        "run_id": answer["run_id"],
        "task": "thumbnails",
        "chunks_uri": answer["chunks_uri"],
        "size": answer["size"],
        **extra,
    }


def chunk_of(s3: Any, tenant_id: str) -> int:
    for index in range(3):
        if [u["tenant_id"] for u in chunk(s3, index)["units"]] != ["big"]:
            if tenant_id in [u["tenant_id"] for u in chunk(s3, index)["units"]]:
                return index
    raise AssertionError(f"{tenant_id} not found alone with big")


def test_all_chunks_succeed_report_and_last_success_records(
    planned_run: dict[str, Any], aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    for index in range(3):
        put_result(aws, index)
    capsys.readouterr()
    answer = handler(summary_event(planned_run), FakeLambdaContext())
    assert answer == {
        "run_id": "r1",
        "report_uri": f"s3://{RUNS_BUCKET}/runs/r1/report.json",
        "status": "SUCCEEDED",
        "succeeded_chunks": 3,
        "failed_chunks": [],
    }
    report = get_json(aws, "runs/r1/report.json")
    assert_valid("report", report)
    assert (report["items_ok"], report["items_failed"], report["tenants_succeeded"]) == (33, 0, 3)
    manifest = get_json(aws, "runs/r1/chunks/manifest.json")
    for tenant in ("big", "small1", "small2"):
        record = get_json(aws, f"state/thumbnails/{tenant}.json")
        assert_valid("last-success", record)
        assert record["data_as_of"] == manifest["created_at"]
        assert record["run_id"] == "r1"
    lines = log_lines(capsys.readouterr().out)
    assert all(line["run_id"] == "r1" for line in lines)
    recorded = [line["tenant_id"] for line in lines if line["message"] == "last success recorded"]
    assert sorted(recorded) == ["big", "small1", "small2"]

    plan_view = get_json(aws, "runs/r1/plan.json")
    assert get_json(aws, "state/thumbnails/big.json")["inputs"] == plan_view["tenants"][0]["inputs"]

    # The next plan, even in the same second, finds nothing new: every tenant is up to date.
    again = handler({"mode": "plan", "run_id": "r2", "task": "thumbnails"}, FakeLambdaContext())
    assert (again["size"], again["skipped"]) == (0, 3)
    # A new image makes only its tenant due again; so does a rewritten one.
    put_images(aws, BUCKET, "small2/", 1, start=100)
    aws.put_object(Bucket=BUCKET, Key="small1/images/img00000.jpg", Body=b"\xff\xd8\xff\xe0")
    again = handler({"mode": "plan", "run_id": "r3", "task": "thumbnails"}, FakeLambdaContext())
    assert (again["tenants"], again["items"], again["skipped"]) == (2, 4, 1)
    skipped = get_json(aws, "runs/r3/plan.json")["skipped"]
    assert skipped == [{"tenant_id": "big", "reason": "up to date"}]


def test_failed_and_missing_chunks_are_named_and_their_tenants_not_recorded(
    planned_run: dict[str, Any], aws: Any
) -> None:
    small1 = chunk_of(aws, "small1")
    small2 = chunk_of(aws, "small2")
    others = sorted({0, 1, 2} - {small1, small2})
    put_result(aws, small1, status="FAILED")
    for index in others:
        put_result(aws, index)
    # small2's chunk (if it is not small1's) has no result at all: its child died.
    batch = {"Error": "States.TaskFailed", "Cause": "x" * 1000}
    answer = handler(summary_event(planned_run, batch=batch), FakeLambdaContext())
    failed = sorted({small1, small2})
    assert (answer["status"], answer["failed_chunks"]) == ("FAILED", failed)
    assert answer["succeeded_chunks"] == 3 - len(failed)
    report = get_json(aws, "runs/r1/report.json")
    assert_valid("report", report)
    reasons = {entry["index"]: entry["reason"] for entry in report["failed_chunks"]}
    assert "FAILED" in reasons[small1]
    if small2 != small1:
        assert "no result" in reasons[small2]
    assert report["batch"]["Error"] == "States.TaskFailed"
    assert len(report["batch"]["Cause"]) == 300
    assert "big" in report["tenants_failed"], "big spans every chunk, so a failed one sinks it"
    listed = aws.list_objects_v2(Bucket=RUNS_BUCKET, Prefix="state/")
    assert "Contents" not in listed


def test_a_tenant_with_failed_items_gets_no_last_success(
    planned_run: dict[str, Any], aws: Any
) -> None:
    small1 = chunk_of(aws, "small1")
    for index in range(3):
        put_result(aws, index, failed_items={"small1": 1} if index == small1 else None)
    answer = handler(summary_event(planned_run), FakeLambdaContext())
    assert answer["status"] == "SUCCEEDED"
    report = get_json(aws, "runs/r1/report.json")
    assert report["tenants_failed"] == ["small1"]
    assert report["items_failed"] == 1
    keys = {e["Key"] for e in aws.list_objects_v2(Bucket=RUNS_BUCKET, Prefix="state/")["Contents"]}
    assert keys == {"state/thumbnails/big.json", "state/thumbnails/small2.json"}


def test_a_malformed_result_counts_as_a_failed_chunk(planned_run: dict[str, Any], aws: Any) -> None:
    put_result(aws, 0)
    put_result(aws, 1)
    aws.put_object(Bucket=RUNS_BUCKET, Key="runs/r1/results/2.json", Body=b"{half")
    answer = handler(summary_event(planned_run), FakeLambdaContext())
    assert answer["failed_chunks"] == [2]
    reason = get_json(aws, "runs/r1/report.json")["failed_chunks"][0]["reason"]
    assert "unreadable" in reason


def test_summary_of_an_unknown_run_raises_run_state_error(
    function_env: Callable[..., None], aws: Any
) -> None:
    event = {
        "mode": "summary",
        "run_id": "nope",
        "task": "thumbnails",
        "chunks_uri": f"s3://{RUNS_BUCKET}/runs/nope/chunks/",
        "size": 2,
    }
    with pytest.raises(RunStateError, match="run manifest"):
        handler(event, FakeLambdaContext())


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"size": 5}, "differs from the manifest"),
        ({"chunks_uri": f"s3://{RUNS_BUCKET}/runs/other/chunks/"}, "chunks_uri must be"),
        ({"chunks_uri": "/tmp/chunks"}, "s3:// URI"),
        ({"size": -1}, "size"),
    ],
)
def test_bad_summary_events_raise_bad_event_error(
    planned_run: dict[str, Any], change: dict[str, Any], needle: str
) -> None:
    with pytest.raises(BadEventError, match=needle):
        handler(summary_event(planned_run, **change), FakeLambdaContext())


def test_failure_mode_writes_the_report_and_returns_the_message(
    function_env: Callable[..., None], aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    cause = json.dumps(
        {"errorMessage": "s3://cfg/tenants.json: not valid JSON", "errorType": "ManifestError"}
    )
    event = {
        "mode": "failure",
        "run_id": "r9",
        "task": "thumbnails",
        "error": {"Error": "ManifestError", "Cause": cause},
    }
    answer = handler(event, FakeLambdaContext())
    assert answer == {
        "run_id": "r9",
        "report_uri": f"s3://{RUNS_BUCKET}/runs/r9/report.json",
        "status": "FAILED",
        "message": "bgtasks thumbnails run r9 failed: ManifestError: "
        "s3://cfg/tenants.json: not valid JSON",
    }
    report = get_json(aws, "runs/r9/report.json")
    assert_valid("report", report)
    assert report["error"] == {"Error": "ManifestError", "Cause": cause}
    assert report["message"] == answer["message"]
    last = log_lines(capsys.readouterr().out)[-1]
    assert (last["level"], last["run_id"], last["error"]) == ("ERROR", "r9", "ManifestError")


def test_failure_reason_is_one_short_line() -> None:
    assert failure_reason("States.Timeout", "") == "States.Timeout"
    assert failure_reason("Batch", "line one\n  line two") == "Batch: line one line two"
    assert failure_reason("X", '{"StatusReason": "Essential container exited"}') == (
        "X: Essential container exited"
    )
    long = failure_reason("X", "y" * 5000)
    assert len(long) == len("X: ") + 500 and long.endswith("...")


def test_failure_mode_without_an_error_object_is_a_bad_event(
    function_env: Callable[..., None],
) -> None:
    with pytest.raises(BadEventError, match="error must be"):
        handler({"mode": "failure", "run_id": "r", "task": "thumbnails"}, FakeLambdaContext())
