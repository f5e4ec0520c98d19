"""One child's run: check everything, do every unit, judge the failure share, write the result.

Order matters: all input is validated before the first write, so bad input leaves nothing
behind; the result object is written last, after every output it reports.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from worker.chunks import Unit, Work, load_work, parse_index
from worker.errors import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_TOO_MANY_FAILED,
    BadInputError,
    WorkerError,
)
from worker.logs import JsonLogger
from worker.outcome import UnitOutcome, one_line
from worker.registry import Task, load_task
from worker.results import build_result, write_result
from worker.s3store import ObjectStore, s3_client

DEFAULT_MAX_FAILED_SHARE = 0.1
MAX_STDERR_LENGTH = 2000  # Batch shows the status reason; one readable line, never a dump


def parse_attempt(raw: str | None) -> int:
    """AWS_BATCH_JOB_ATTEMPT, 1-based; absent outside Batch."""
    if raw is None or raw.strip() == "":
        return 1
    if not raw.strip().isdecimal() or int(raw) < 1:
        raise BadInputError(f"AWS_BATCH_JOB_ATTEMPT is not a positive integer: {raw!r}")
    return int(raw)


def parse_max_failed_share(raw: str | None) -> float:
    """BGTASKS_MAX_FAILED_SHARE: the share of items that may fail before the chunk fails."""
    if raw is None or raw.strip() == "":
        return DEFAULT_MAX_FAILED_SHARE
    try:
        share = float(raw)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise BadInputError(f"BGTASKS_MAX_FAILED_SHARE must be a number from 0 to 1: {raw!r}")
    return share


def unit_parameters(work: Work, unit: Unit) -> dict[str, Any]:
    """Task-wide parameters from the manifest, overridden by the tenant's own."""
    return {**work.manifest.parameters, **unit.parameters}


def run_worker(
    environ: Mapping[str, str],
    store: ObjectStore | None = None,
    log: JsonLogger | None = None,
) -> int:
    """Do this child's chunk; return the exit code. Raises WorkerError for bad input/trouble."""
    started_at = datetime.now(UTC)
    index = parse_index(environ.get("AWS_BATCH_JOB_ARRAY_INDEX"))
    attempt = parse_attempt(environ.get("AWS_BATCH_JOB_ATTEMPT"))
    max_failed_share = parse_max_failed_share(environ.get("BGTASKS_MAX_FAILED_SHARE"))
    store = store if store is not None else ObjectStore(s3_client())
    work = load_work(store, environ.get("BGTASKS_CHUNKS_URI"), index)
    task = load_task(work.manifest.task)
    for unit in work.units:
        task.validate(unit, unit_parameters(work, unit))

    log = (log or JsonLogger()).bind(run_id=work.manifest.run_id, index=index, task=task.name)
    log.info("chunk started", attempt=attempt, units=len(work.units))
    outcomes = [(unit, _run_unit(task, work, unit, store, log)) for unit in work.units]

    total = sum(o.items_ok + o.items_failed for _, o in outcomes)
    failed = sum(o.items_failed for _, o in outcomes)
    too_many = total > 0 and failed / total > max_failed_share
    status = "FAILED" if too_many else "SUCCEEDED"
    result = build_result(work, outcomes, status, attempt, started_at, datetime.now(UTC))
    write_result(store, work, result)
    log.info("chunk finished", status=status, items=total, items_failed=failed)
    if too_many:
        raise TooManyFailedError(
            f"{failed} of {total} items failed, more than the allowed share {max_failed_share:g} "
            f"(s3://{work.runs_bucket}/{work.result_key} lists them)"
        )
    return EXIT_OK


class TooManyFailedError(WorkerError):
    exit_code = EXIT_TOO_MANY_FAILED


def _run_unit(
    task: Task, work: Work, unit: Unit, store: ObjectStore, log: JsonLogger
) -> UnitOutcome:
    tenant_log = log.bind(tenant_id=unit.tenant_id)
    outcome = task.run(unit, unit_parameters(work, unit), store)
    for item, error in outcome.failures:
        tenant_log.warning("item failed", item=item, error=error)
    tenant_log.info(
        "tenant done",
        part=unit.part,
        items_ok=outcome.items_ok,
        items_failed=outcome.items_failed,
        outputs=outcome.outputs,
    )
    return outcome


def main(environ: Mapping[str, str], stderr: TextIO | None = None) -> int:
    """The entry point's body: one clear line on stderr and a known exit code on any error."""
    err = stderr if stderr is not None else sys.stderr
    try:
        return run_worker(environ)
    except WorkerError as error:
        err.write(f"worker: {one_line(str(error), MAX_STDERR_LENGTH)}\n")
        return error.exit_code
    except Exception as error:  # a bug: still one line, and a code that is not retried
        message = f"internal error: {type(error).__name__}: {error}"
        err.write(f"worker: {one_line(message, MAX_STDERR_LENGTH)}\n")
        return EXIT_INTERNAL
