"""The child's result object, `runs/<run_id>/results/<index>.json`, written after all outputs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from worker.chunks import Unit, Work
from worker.outcome import UnitOutcome
from worker.s3store import ObjectStore
from worker.schemas import first_problem


def utc_timestamp(moment: datetime) -> str:
    """W3C / RFC 3339 datetime in UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_result(
    work: Work,
    outcomes: Sequence[tuple[Unit, UnitOutcome]],
    status: str,
    attempt: int,
    started_at: datetime,
    finished_at: datetime,
) -> dict[str, Any]:
    tenants = []
    for unit, outcome in outcomes:
        tenants.append(
            {
                "tenant_id": unit.tenant_id,
                "part": unit.part,
                "parts": unit.parts,
                "items_ok": outcome.items_ok,
                "items_failed": outcome.items_failed,
                "outputs": outcome.outputs,
                "failures": [{"item": item, "error": error} for item, error in outcome.failures],
            }
        )
    return {
        "schema_version": 1,
        "run_id": work.manifest.run_id,
        "task": work.manifest.task,
        "index": work.index,
        "status": status,
        "attempt": attempt,
        "started_at": utc_timestamp(started_at),
        "finished_at": utc_timestamp(finished_at),
        "tenants": tenants,
    }


def write_result(store: ObjectStore, work: Work, result: dict[str, Any]) -> None:
    problem = first_problem("result", result)
    if problem is not None:  # our own bug: never publish a result the summary cannot read
        raise AssertionError(f"result does not match schemas/result.schema.json: {problem}")
    body = json.dumps(result, indent=1, sort_keys=True).encode("utf-8")
    store.put(work.runs_bucket, work.result_key, body, "application/json")
