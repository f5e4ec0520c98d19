"""`bgtasks redrive`: resume a failed run without redoing the chunks that succeeded.

The worker reads chunk `<index>` of `runs/<run_id>/chunks/` by its array index and checks that
the chunk says so, and Batch reserves `AWS_BATCH_*` variables, so a failed child cannot be re-run
alone under its old index. Instead the failed chunks become a small run of their own,
`<run_id>-r<n>`, renumbered 0..k-1, submitted to the same queue with the same job definition
(the same image, roles and retry strategy). Each of its results is then copied back under its
original index, and the metadata function's summary mode is invoked again for the original run,
which rewrites the run report and the per-tenant records. Nothing new is asked of the state
machine, the function or the worker; outputs of succeeded chunks are never touched.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from bgtasks.ops.aws import AwsClients
from bgtasks.ops.batchjobs import FINAL_STATUSES, ArrayJob, load_array_job, status_counts
from bgtasks.ops.history import read_history
from bgtasks.ops.names import RUN_ID_PATTERN, ExecutionRef

ProgressCallback = Callable[[str, dict[str, int]], None]


class RedriveError(Exception):
    """The run cannot be redriven as asked (still running, never planned, ...)."""


@dataclass
class RedrivePlan:
    """What a redrive would do: which chunks of which run, through which job and function."""

    execution: ExecutionRef
    execution_status: str
    task: str
    runs_bucket: str
    chunks_prefix: str
    size: int
    job: ArrayJob
    failed: list[int]
    function_name: str

    @property
    def run_id(self) -> str:
        return self.execution.run_id


@dataclass
class RedriveOutcome:
    """What a redrive did."""

    sub_run_id: str
    job_id: str
    job_status: str
    counts: dict[str, int]
    merged: list[int] = field(default_factory=list)
    still_failed: list[int] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def plan_redrive(clients: AwsClients, execution: ExecutionRef) -> RedrivePlan:
    """Work out the failed chunks of a finished run and how they were run."""
    described = clients.stepfunctions.describe_execution(executionArn=execution.arn)
    status = str(described["status"])
    if status == "RUNNING":
        raise RedriveError(f"run {execution.run_id} is still running; redrive a finished run")
    history = read_history(clients.stepfunctions, execution.arn)
    plan = history.plan()
    if plan is None or not plan.get("chunks_uri"):
        raise RedriveError(
            f"run {execution.run_id} never planned its chunks ({history.error or status}); "
            "start a new run instead"
        )
    function_name = history.metadata_function()
    if not history.batch_job_ids or function_name is None:
        raise RedriveError(f"run {execution.run_id} submitted no Batch job; start a new run")
    job = load_array_job(clients.batch, history.batch_job_ids[0])
    unfinished = [c.index for c in job.children if c.status not in FINAL_STATUSES]
    if unfinished:
        raise RedriveError(f"job {job.job_id} still has unfinished children {unfinished}")
    location = urlparse(str(plan["chunks_uri"]))
    prefix = location.path.lstrip("/")
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    manifest = _read_json(clients.s3, location.netloc, prefix + "manifest.json")
    return RedrivePlan(
        execution=execution,
        execution_status=status,
        task=str(manifest["task"]),
        runs_bucket=location.netloc,
        chunks_prefix=prefix,
        size=int(plan.get("size", manifest["size"])),
        job=job,
        failed=job.failed_indices() if job.size else _failed_single(job),
        function_name=function_name,
    )


def execute_redrive(
    clients: AwsClients,
    plan: RedrivePlan,
    timeout: float = 900.0,
    poll: float = 0.5,
    on_progress: ProgressCallback | None = None,
) -> RedriveOutcome:
    """Run the failed chunks again as a sub-run, merge its results, re-summarise the run."""
    if not plan.failed:
        raise RedriveError(f"run {plan.run_id} has no failed chunk to redrive")
    sub_run_id = _next_sub_run_id(clients.s3, plan)
    sub_prefix = f"runs/{sub_run_id}/chunks/"
    _write_sub_run(clients.s3, plan, sub_run_id, sub_prefix)
    environment = [
        {"name": name, "value": value}
        for name, value in sorted(plan.job.environment.items())
        if not name.startswith("AWS_BATCH_")  # reserved: Batch sets these itself
    ]
    environment = [e for e in environment if e["name"] != "BGTASKS_CHUNKS_URI"]
    environment.append(
        {"name": "BGTASKS_CHUNKS_URI", "value": f"s3://{plan.runs_bucket}/{sub_prefix}"}
    )
    request: dict[str, Any] = {
        "jobName": f"{plan.task}-redrive",
        "jobQueue": plan.job.queue,
        "jobDefinition": plan.job.definition,
        "containerOverrides": {"environment": environment},
    }
    if len(plan.failed) >= 2:  # Batch arrays have 2..10,000 children; one chunk is a plain job
        request["arrayProperties"] = {"size": len(plan.failed)}
    job_id = str(clients.batch.submit_job(**request)["jobId"])
    job_status, counts = _wait_for_job(clients, job_id, timeout, poll, on_progress)

    sub_job = load_array_job(clients.batch, job_id)
    outcome = RedriveOutcome(
        sub_run_id=sub_run_id, job_id=job_id, job_status=job_status, counts=counts
    )
    for position, original in enumerate(plan.failed):
        copied = _merge_result(clients.s3, plan, sub_run_id, position, original)
        child = sub_job.children[position] if position < len(sub_job.children) else None
        if copied and child is not None and child.status == "SUCCEEDED":
            outcome.merged.append(original)
        else:
            outcome.still_failed.append(original)
    outcome.summary = _summarise(clients, plan, job_id, sub_job)
    return outcome


def _failed_single(job: ArrayJob) -> list[int]:
    """A run of one chunk ran a plain job: chunk 0 failed if the job did."""
    return [0] if job.status == "FAILED" else []


def _next_sub_run_id(s3: Any, plan: RedrivePlan) -> str:
    listed = s3.list_objects_v2(
        Bucket=plan.runs_bucket, Prefix=f"runs/{plan.run_id}-r", Delimiter="/"
    )
    taken = {p["Prefix"] for p in listed.get("CommonPrefixes", [])}
    number = 1
    while f"runs/{plan.run_id}-r{number}/" in taken:
        number += 1
    sub_run_id = f"{plan.run_id}-r{number}"
    if not RUN_ID_PATTERN.match(sub_run_id):
        raise RedriveError(f"run id {plan.run_id} is too long to name a redrive run")
    return sub_run_id


def _write_sub_run(s3: Any, plan: RedrivePlan, sub_run_id: str, sub_prefix: str) -> None:
    """The failed chunks, renumbered, under the sub-run; the manifest last, when all exist."""
    for position, original in enumerate(plan.failed):
        chunk = _read_json(s3, plan.runs_bucket, f"{plan.chunks_prefix}{original}.json")
        chunk.update(run_id=sub_run_id, index=position)
        _put_json(s3, plan.runs_bucket, f"{sub_prefix}{position}.json", chunk)
    manifest = _read_json(s3, plan.runs_bucket, f"{plan.chunks_prefix}manifest.json")
    manifest.update(run_id=sub_run_id, size=len(plan.failed))
    _put_json(s3, plan.runs_bucket, f"{sub_prefix}manifest.json", manifest)


def _wait_for_job(
    clients: AwsClients,
    job_id: str,
    timeout: float,
    poll: float,
    on_progress: ProgressCallback | None,
) -> tuple[str, dict[str, int]]:
    deadline = time.monotonic() + timeout
    while True:
        status, counts = status_counts(clients.batch, job_id)
        if on_progress is not None:
            on_progress(status, counts)
        if status in FINAL_STATUSES:
            return status, counts
        if time.monotonic() >= deadline:
            raise TimeoutError(f"redrive job {job_id} still {status} after {timeout:.0f}s")
        time.sleep(poll)


def _merge_result(
    s3: Any, plan: RedrivePlan, sub_run_id: str, position: int, original: int
) -> bool:
    """Copy the sub-run's result `position` back as the run's result `original`."""
    try:
        result = _read_json(s3, plan.runs_bucket, f"runs/{sub_run_id}/results/{position}.json")
    except s3.exceptions.NoSuchKey:
        return False
    result.update(run_id=plan.run_id, index=original)
    _put_json(s3, plan.runs_bucket, f"runs/{plan.run_id}/results/{original}.json", result)
    return str(result.get("status")) == "SUCCEEDED"


def _summarise(
    clients: AwsClients, plan: RedrivePlan, job_id: str, sub_job: ArrayJob
) -> dict[str, Any]:
    """Invoke the metadata function's summary mode for the original run, as the state machine
    does, so the report and per-tenant records come from the same code."""
    payload = {
        "mode": "summary",
        "run_id": plan.run_id,
        "task": plan.task,
        "chunks_uri": f"s3://{plan.runs_bucket}/{plan.chunks_prefix}",
        "size": plan.size,
        "batch": {"JobId": job_id, "JobName": sub_job.name, "Status": sub_job.status},
    }
    answer = clients.lambda_.invoke(
        FunctionName=plan.function_name, Payload=json.dumps(payload).encode()
    )
    body = answer["Payload"].read()
    if answer.get("FunctionError"):
        raise RedriveError(f"the summary function failed: {body.decode(errors='replace')[:300]}")
    decoded = json.loads(body)
    return decoded if isinstance(decoded, dict) else {}


def _read_json(s3: Any, bucket: str, key: str) -> dict[str, Any]:
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    value = json.loads(body)
    if not isinstance(value, dict):
        raise RedriveError(f"s3://{bucket}/{key} is not a JSON object")
    return value


def _put_json(s3: Any, bucket: str, key: str, value: dict[str, Any]) -> None:
    body = json.dumps(value, indent=1, sort_keys=True).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
