"""`bgtasks status`: one view of a run joining Step Functions, Batch and CloudWatch Logs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from bgtasks.ops.aws import AwsClients
from bgtasks.ops.batchjobs import STATUSES, ArrayJob, load_array_job
from bgtasks.ops.history import ExecutionHistory, read_history
from bgtasks.ops.logs import read_log_lines
from bgtasks.ops.names import ExecutionRef

LOG_TAIL_LINES = 10


@dataclass
class RunStatus:
    """Everything `bgtasks status` shows about one execution."""

    execution: ExecutionRef
    status: str
    started_at: datetime
    stopped_at: datetime | None
    history: ExecutionHistory
    jobs: list[ArrayJob]
    failed_logs: dict[str, list[str]] = field(default_factory=dict)
    report: dict[str, Any] | None = None

    @property
    def plan(self) -> dict[str, Any] | None:
        return self.history.plan()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready view for `--format json`."""
        return {
            "execution_arn": self.execution.arn,
            "run_id": self.execution.run_id,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
            "error": self.history.error,
            "cause": self.history.cause,
            "plan": self.plan,
            "report": self.report,
            "states": [
                {
                    "name": s.name,
                    "kind": s.kind,
                    "outcome": s.outcome,
                    "seconds": _seconds(s.entered_at, s.exited_at),
                    "error": s.error,
                }
                for s in self.history.states
            ],
            "jobs": [
                {
                    "job_id": job.job_id,
                    "name": job.name,
                    "status": job.status,
                    "size": job.size,
                    "counts": job.counts(),
                    "children": [
                        {
                            "index": c.index,
                            "job_id": c.job_id,
                            "status": c.status,
                            "attempts": len(c.attempts),
                            "exit_code": c.exit_code,
                            "reason": c.status_reason,
                            "log_tail": self.failed_logs.get(c.job_id, []),
                        }
                        for c in job.children
                    ],
                }
                for job in self.jobs
            ],
        }


def collect_status(
    clients: AwsClients, execution: ExecutionRef, tail: int = LOG_TAIL_LINES
) -> RunStatus:
    """Gather the execution, its history, its Batch jobs and failed children's log tails."""
    described = clients.stepfunctions.describe_execution(executionArn=execution.arn)
    history = read_history(clients.stepfunctions, execution.arn)
    jobs = [load_array_job(clients.batch, job_id) for job_id in history.batch_job_ids]
    failed_logs: dict[str, list[str]] = {}
    for job in jobs:
        for child in job.children:
            stream = child.last_log_stream
            if child.status == "FAILED" and stream and tail > 0:
                failed_logs[child.job_id] = read_log_lines(
                    clients.logs, child.log_group, stream, tail
                )
    return RunStatus(
        report=read_run_report(clients.s3, history.plan(), execution.run_id),
        execution=execution,
        status=str(described["status"]),
        started_at=described["startDate"],
        stopped_at=described.get("stopDate"),
        history=history,
        jobs=jobs,
        failed_logs=failed_logs,
    )


def read_run_report(s3: Any, plan: dict[str, Any] | None, run_id: str) -> dict[str, Any] | None:
    """The run report (`runs/<run_id>/report.json` next to the chunks), if there is one.

    After a redrive it says whether the run completed, while the execution stays FAILED.
    """
    if not plan or not str(plan.get("chunks_uri", "")).startswith("s3://"):
        return None
    bucket = str(plan["chunks_uri"])[5:].split("/", 1)[0]
    try:
        body = s3.get_object(Bucket=bucket, Key=f"runs/{run_id}/report.json")["Body"].read()
        report = json.loads(body)
    except (ClientError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def render_status(run: RunStatus) -> str:
    """The human view: execution, states, array children, failed children's log tails."""
    lines = [f"execution {run.execution.run_id}: {run.status}", f"  arn: {run.execution.arn}"]
    lines.append(
        f"  started {run.started_at:%Y-%m-%d %H:%M:%S}, " + _took(run.started_at, run.stopped_at)
    )
    if run.history.error:
        lines.append(f"  error: {run.history.error}: {run.history.cause or ''}".rstrip(": "))
    plan = run.plan
    if plan:
        lines.append(
            f"  plan: {plan.get('size', '?')} chunks, {plan.get('tenants', '?')} tenants, "
            f"{plan.get('items', '?')} items, {plan.get('chunks_uri', '')}"
        )
    if run.report is not None:
        report = run.report
        failed = [c.get("index") for c in report.get("failed_chunks", []) if isinstance(c, dict)]
        lines.append(
            f"  report: {report.get('status')}, {report.get('succeeded_chunks')} of "
            f"{report.get('size')} chunks succeeded" + (f", failed {failed}" if failed else "")
        )
    lines.append("states:")
    for state in run.history.states:
        took = _seconds(state.entered_at, state.exited_at)
        timing = f"{took:.1f}s" if took is not None else "..."
        lines.append(f"  {state.name:<28} {state.kind:<10} {state.outcome:<12} {timing}")
        if state.error:
            lines.append(f"    {state.error}: {state.cause or ''}".rstrip(": "))
    for job in run.jobs:
        counts = ", ".join(f"{s.lower()}={n}" for s, n in job.counts().items() if n)
        kind = f"array of {job.size}" if job.size else "single job"
        lines.append(f"batch job {job.job_id} ({job.name}, {kind}): {job.status}  [{counts}]")
        lines.append(f"  {'index':>5}  {'status':<10} {'attempts':>8} {'exit':>5}  reason")
        for child in job.children:
            exit_code = "-" if child.exit_code is None else str(child.exit_code)
            index = "-" if child.index is None else str(child.index)
            lines.append(
                f"  {index:>5}  {child.status:<10} {len(child.attempts):>8} {exit_code:>5}  "
                f"{child.status_reason or ''}".rstrip()
            )
        for child in job.children:
            tail = run.failed_logs.get(child.job_id)
            if tail is None:
                continue
            lines.append(f"log tail of child {child.index} ({child.last_log_stream}):")
            lines.extend(f"  | {line}" for line in tail or ["(empty)"])
    if not run.jobs and run.status != "RUNNING":
        lines.append("no Batch job was submitted by this execution")
    return "\n".join(lines)


def status_line(counts: dict[str, int]) -> str:
    return " ".join(f"{s.lower()}={counts.get(s, 0)}" for s in STATUSES)


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return (end - start).total_seconds() if end is not None else None


def _took(start: datetime, end: datetime | None) -> str:
    took = _seconds(start, end)
    return f"took {took:.1f}s" if took is not None else "still running"
