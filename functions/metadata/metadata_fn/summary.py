"""Summary mode: read every child's result, write the run report and per-tenant last-success
records, say which chunks failed.

A chunk failed when its result is missing (the child died or never ran), unreadable, or says
FAILED. A tenant succeeded when every chunk holding it succeeded and none of its items failed;
only those get a new last-success record, so the next run picks the others up again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from botocore.exceptions import ClientError

from metadata_fn.errors import BadEventError, RunStateError
from metadata_fn.events import SummaryRequest
from metadata_fn.layout import chunks_prefix, manifest_key, plan_key, report_key, result_key
from metadata_fn.logs import logger
from metadata_fn.s3json import get_json, put_json, s3_uri
from metadata_fn.state import write_last_success

READ_THREADS = 32
MAX_REASON = 300  # characters of a batch error kept in the report


@dataclass
class _TenantTally:
    items_ok: int = 0
    items_failed: int = 0
    chunks: set[int] = field(default_factory=set)


def run_summary(
    request: SummaryRequest,
    s3: Any,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> dict[str, Any]:
    bucket = _runs_bucket(request)
    manifest = _read_run_object(s3, bucket, manifest_key(request.run_id), "run manifest")
    plan_view = _read_run_object(s3, bucket, plan_key(request.run_id), "plan")
    size = int(manifest.get("size", 0))
    if size != request.size:
        raise BadEventError(f"event size {request.size} differs from the manifest's {size}")

    outcomes = _read_results(s3, bucket, request.run_id, size)
    failed = sorted(index for index, (ok, _, _) in outcomes.items() if not ok)
    tally: dict[str, _TenantTally] = {}
    for index, (ok, reason, result) in sorted(outcomes.items()):
        if not ok:
            logger.warning("chunk failed", chunk=index, reason=reason)
            continue
        for entry in result.get("tenants", []):
            counts = tally.setdefault(str(entry.get("tenant_id")), _TenantTally())
            counts.items_ok += int(entry.get("items_ok", 0))
            counts.items_failed += int(entry.get("items_failed", 0))
            counts.chunks.add(index)

    finished_at = now().isoformat()
    succeeded_tenants: list[dict[str, Any]] = []
    failed_tenants: list[str] = []
    for tenant in plan_view.get("tenants", []):
        tenant_id = tenant["tenant_id"]
        counts = tally.get(tenant_id, _TenantTally())
        complete = set(tenant.get("chunks", [])) <= counts.chunks
        if complete and counts.items_failed == 0:
            succeeded_tenants.append(tenant)
        else:
            failed_tenants.append(tenant_id)
            logger.warning(
                "tenant not completed",
                tenant_id=tenant_id,
                items_ok=counts.items_ok,
                items_failed=counts.items_failed,
            )
    _record_successes(s3, bucket, request, manifest["created_at"], succeeded_tenants, finished_at)

    status = "FAILED" if failed else "SUCCEEDED"
    report = {
        "schema_version": 1,
        "run_id": request.run_id,
        "task": request.task,
        "status": status,
        "created_at": manifest["created_at"],
        "finished_at": finished_at,
        "size": size,
        "succeeded_chunks": size - len(failed),
        "failed_chunks": [{"index": index, "reason": outcomes[index][1]} for index in failed],
        "items_ok": sum(counts.items_ok for counts in tally.values()),
        "items_failed": sum(counts.items_failed for counts in tally.values()),
        "tenants_succeeded": len(succeeded_tenants),
        "tenants_failed": failed_tenants,
        "skipped": plan_view.get("skipped", []),
    }
    batch = _batch_digest(request.batch)
    if batch:
        report["batch"] = batch
    report_uri = s3_uri(bucket, report_key(request.run_id))
    put_json(s3, bucket, report_key(request.run_id), report)
    logger.info(
        "run summarised",
        status=status,
        report_uri=report_uri,
        succeeded_chunks=size - len(failed),
        failed_chunks=len(failed),
        tenants_succeeded=len(succeeded_tenants),
        tenants_failed=len(failed_tenants),
    )
    return {
        "run_id": request.run_id,
        "report_uri": report_uri,
        "status": status,
        "succeeded_chunks": size - len(failed),
        "failed_chunks": failed,
    }


def _runs_bucket(request: SummaryRequest) -> str:
    parsed = urlparse(request.chunks_uri)
    expected = chunks_prefix(request.run_id)
    if not parsed.netloc or parsed.path.lstrip("/") != expected:
        raise BadEventError(
            f"chunks_uri must be s3://<bucket>/{expected} for this run, got {request.chunks_uri!r}"
        )
    return parsed.netloc


def _read_run_object(s3: Any, bucket: str, key: str, what: str) -> dict[str, Any]:
    try:
        document = get_json(s3, bucket, key)
    except (ClientError, ValueError) as error:
        raise RunStateError(f"cannot read the {what} s3://{bucket}/{key}: {error}") from None
    if not isinstance(document, dict):
        raise RunStateError(f"the {what} s3://{bucket}/{key} is missing or not an object")
    return document


def _read_results(
    s3: Any, bucket: str, run_id: str, size: int
) -> dict[int, tuple[bool, str, dict[str, Any]]]:
    """Per chunk index: (succeeded, why not, the result)."""

    def read(index: int) -> tuple[bool, str, dict[str, Any]]:
        key = result_key(run_id, index)
        try:
            result = get_json(s3, bucket, key)
        except (ClientError, ValueError) as error:
            return False, f"unreadable result: {error}", {}
        if result is None:
            return False, "no result (the child did not finish)", {}
        if not isinstance(result, dict) or result.get("index") != index:
            return False, "malformed result", {}
        if result.get("status") != "SUCCEEDED":
            return False, f"result status {result.get('status')!r}", result
        return True, "", result

    if size == 0:
        return {}
    with ThreadPoolExecutor(max_workers=min(READ_THREADS, size)) as pool:
        return dict(zip(range(size), pool.map(read, range(size)), strict=True))


def _record_successes(
    s3: Any,
    bucket: str,
    request: SummaryRequest,
    data_as_of: str,
    tenants: list[dict[str, Any]],
    now: str,
) -> None:
    """A last-success record per tenant, with the inputs fingerprint its plan saw."""

    def record(tenant: dict[str, Any]) -> None:
        write_last_success(
            s3,
            bucket,
            request.task,
            tenant["tenant_id"],
            run_id=request.run_id,
            data_as_of=data_as_of,
            inputs=tenant.get("inputs"),
            newest_input=tenant.get("newest_input"),
            now=now,
        )
        logger.info("last success recorded", tenant_id=tenant["tenant_id"], data_as_of=data_as_of)

    if tenants:
        with ThreadPoolExecutor(max_workers=min(READ_THREADS, len(tenants))) as pool:
            list(pool.map(record, tenants))


def _batch_digest(batch: Any) -> dict[str, str]:
    """The few fields of the Batch .sync answer (or caught error) worth keeping."""
    if not isinstance(batch, dict):
        return {}
    digest = {}
    for name in ("Status", "StatusReason", "JobId", "JobName", "Error", "Cause"):
        value = batch.get(name)
        if isinstance(value, str) and value:
            digest[name] = value[:MAX_REASON]
    return digest
