"""A Batch job and its array children, as the operator sees them.

Children are described by id (`<parent>:<index>`, 100 per DescribeJobs call) rather than listed:
ListJobs returns only RUNNING children unless asked status by status, and describing gives the
attempts, exit codes, reasons and log streams in one go.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

DESCRIBE_BATCH = 100  # DescribeJobs accepts at most 100 job ids per call.
DEFAULT_LOG_GROUP = "/aws/batch/job"
# Batch's job statuses in lifecycle order: the progress display keeps this order.
STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")
FINAL_STATUSES = frozenset({"SUCCEEDED", "FAILED"})


@dataclass
class Attempt:
    """One attempt of a job: its exit code, reason and log stream."""

    exit_code: int | None
    reason: str | None
    log_stream: str | None


@dataclass
class JobView:
    """A job (an array child, or a plain job) with what an operator needs to judge it."""

    job_id: str
    index: int | None
    status: str
    status_reason: str | None
    attempts: list[Attempt] = field(default_factory=list)
    log_stream: str | None = None
    log_group: str = DEFAULT_LOG_GROUP

    @property
    def exit_code(self) -> int | None:
        return self.attempts[-1].exit_code if self.attempts else None

    @property
    def last_log_stream(self) -> str | None:
        """The stream of the latest attempt (what went wrong last), else the job's own."""
        for attempt in reversed(self.attempts):
            if attempt.log_stream:
                return attempt.log_stream
        return self.log_stream


@dataclass
class ArrayJob:
    """A submitted job: the parent's own description and, for an array job, its children."""

    job_id: str
    name: str
    status: str
    size: int
    queue: str
    definition: str
    environment: dict[str, str]
    raw: dict[str, Any]
    children: list[JobView] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Children per status (the job itself when it is not an array)."""
        counter = Counter(child.status for child in self.children)
        return {status: counter.get(status, 0) for status in STATUSES}

    def failed_indices(self) -> list[int]:
        return sorted(
            c.index for c in self.children if c.status == "FAILED" and c.index is not None
        )


def describe_job(batch: Any, job_id: str) -> dict[str, Any]:
    """DescribeJobs for one job; LookupError when Batch does not know it."""
    jobs = batch.describe_jobs(jobs=[job_id])["jobs"]
    if not jobs:
        raise LookupError(f"no Batch job {job_id}")
    return dict(jobs[0])


def load_array_job(batch: Any, job_id: str, with_children: bool = True) -> ArrayJob:
    """The job `job_id` and (when asked) every one of its array children."""
    raw = describe_job(batch, job_id)
    size = int(raw.get("arrayProperties", {}).get("size", 0) or 0)
    container = raw.get("container", {}) or {}
    environment = {e["name"]: e["value"] for e in container.get("environment", []) or []}
    job = ArrayJob(
        job_id=job_id,
        name=str(raw.get("jobName", "")),
        status=str(raw.get("status", "")),
        size=size,
        queue=str(raw.get("jobQueue", "")),
        definition=str(raw.get("jobDefinition", "")),
        environment=environment,
        raw=raw,
    )
    if with_children:
        log_group = log_group_of(batch, raw)
        if size:
            ids = [f"{job_id}:{index}" for index in range(size)]
            described: list[dict[str, Any]] = []
            for start in range(0, len(ids), DESCRIBE_BATCH):
                described.extend(
                    batch.describe_jobs(jobs=ids[start : start + DESCRIBE_BATCH])["jobs"]
                )
            children = (job_view(d, log_group) for d in described)
            job.children = sorted(children, key=lambda c: c.index or 0)
        else:
            job.children = [job_view(raw, log_group)]
    return job


def status_counts(batch: Any, job_id: str) -> tuple[str, dict[str, int]]:
    """The parent's status and its children's per-status counts, as cheaply as Batch allows.

    Batch keeps `arrayProperties.statusSummary` on the parent; when it does not add up to the
    array size (older emulators), the children are described one by one instead.
    """
    raw = describe_job(batch, job_id)
    array = raw.get("arrayProperties", {}) or {}
    size = int(array.get("size", 0) or 0)
    summary = {str(k): int(v) for k, v in (array.get("statusSummary") or {}).items()}
    if size and sum(summary.values()) == size:
        return str(raw.get("status", "")), {s: summary.get(s, 0) for s in STATUSES}
    job = load_array_job(batch, job_id)
    return job.status, job.counts()


def log_group_of(batch: Any, raw: dict[str, Any]) -> str:
    """The awslogs group the job logs to: from its description, else from its job definition.

    Real Batch echoes the container's `logConfiguration` in DescribeJobs; moto does not, so
    we fall back to the job definition, and to Batch's default group.
    """
    log_config = (raw.get("container") or {}).get("logConfiguration")
    if not log_config and raw.get("jobDefinition"):
        found = batch.describe_job_definitions(jobDefinitions=[raw["jobDefinition"]])
        for definition in found.get("jobDefinitions", []):
            log_config = (definition.get("containerProperties") or {}).get("logConfiguration")
    if log_config and log_config.get("logDriver") == "awslogs":
        return str((log_config.get("options") or {}).get("awslogs-group", DEFAULT_LOG_GROUP))
    return DEFAULT_LOG_GROUP


def job_view(raw: dict[str, Any], log_group: str = DEFAULT_LOG_GROUP) -> JobView:
    """A JobView of one DescribeJobs entry."""
    container = raw.get("container", {}) or {}
    attempts = [
        Attempt(
            exit_code=(a.get("container") or {}).get("exitCode"),
            reason=(a.get("container") or {}).get("reason") or a.get("statusReason"),
            log_stream=(a.get("container") or {}).get("logStreamName"),
        )
        for a in raw.get("attempts", []) or []
    ]
    index = (raw.get("arrayProperties") or {}).get("index")
    job_id = str(raw["jobId"])
    if index is None and ":" in job_id:
        tail = job_id.rsplit(":", 1)[1]
        index = int(tail) if tail.isdigit() else None
    return JobView(
        job_id=job_id,
        index=index,
        status=str(raw.get("status", "")),
        status_reason=raw.get("statusReason"),
        attempts=attempts,
        log_stream=container.get("logStreamName"),
        log_group=log_group,
    )
