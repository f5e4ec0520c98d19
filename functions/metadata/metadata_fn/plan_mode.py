"""Plan mode: tenants -> skip rules -> listing -> balanced chunks -> S3; a small pointer back."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from metadata_fn.config import Config
from metadata_fn.errors import BadEventError, ConfigError, TenantAccessError
from metadata_fn.events import PlanRequest
from metadata_fn.layout import chunks_prefix
from metadata_fn.logs import logger
from metadata_fn.planning import Workload, plan_chunks
from metadata_fn.s3json import s3_uri
from metadata_fn.skip import BUCKET_NOT_ALLOWED, UNREADABLE, RunRules, skip_listing, skip_tenant
from metadata_fn.state import read_last_success
from metadata_fn.tasks import TASKS, Listing, TaskSpec
from metadata_fn.tenants import Tenant, load_tenants
from metadata_fn.writer import PlannedTenant, build_documents, write_documents

LIST_THREADS = 16  # listing is one or more S3 calls per tenant, latency-bound


@dataclass(frozen=True)
class _Examined:
    tenant: Tenant
    listing: Listing | None
    reason: str | None


def run_plan(
    request: PlanRequest,
    config: Config,
    s3: Any,
    dynamodb: Callable[[], Any],
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> dict[str, Any]:
    task = _task_spec(request, config)
    if not config.tenant_source:
        raise ConfigError("BGTASKS_TENANT_SOURCE is not set")
    # Taken before any listing: inputs changed from here on belong to the next run.
    created_at = now().isoformat()
    source = config.tenant_source
    tenants = load_tenants(source, s3, dynamodb() if source.startswith("dynamodb:") else None)
    logger.info("tenants loaded", source=source, tenants=len(tenants))

    rules = RunRules(request.exclude_tenants, config.allowed_buckets, request.force)
    examined = _examine(tenants, task, rules, s3, config)
    planned: list[PlannedTenant] = []
    skipped: list[dict[str, str]] = []
    for entry in examined:
        if entry.reason is not None or entry.listing is None:
            reason = entry.reason or UNREADABLE
            skipped.append({"tenant_id": entry.tenant.tenant_id, "reason": reason})
            continue
        newest = entry.listing.newest
        planned.append(
            PlannedTenant(
                entry.tenant,
                entry.listing.items,
                entry.listing.fingerprint,
                newest.isoformat() if newest is not None else None,
            )
        )

    max_chunks = min(config.max_chunks, request.max_chunks or config.max_chunks)
    workloads = [
        Workload(p.tenant.tenant_id, len(p.items), task.cost_per_item, task.splittable)
        for p in planned
    ]
    plan = plan_chunks(workloads, max_chunks, config.workers, config.startup_cost)
    chunks_uri = s3_uri(config.runs_bucket, chunks_prefix(request.run_id))
    if plan.chunks:
        documents = build_documents(
            run_id=request.run_id,
            task=task.name,
            runs_bucket=config.runs_bucket,
            created_at=created_at,
            plan=plan,
            planned=planned,
            skipped=skipped,
            parameters=request.parameters,
        )
        write_documents(s3, config.runs_bucket, request.run_id, documents)
        for chunk in plan.chunks:
            for unit in chunk.units:
                logger.info(
                    "tenant planned",
                    tenant_id=planned[unit.workload].tenant.tenant_id,
                    chunk=chunk.index,
                    items=unit.items,
                    part=unit.part,
                    parts=unit.parts,
                )
    logger.info(
        "run planned",
        chunks_uri=chunks_uri,
        size=len(plan.chunks),
        tenants=len(planned),
        skipped=len(skipped),
        items=plan.items,
        makespan=plan.makespan,
        lower_bound=plan.lower_bound,
    )
    return {
        "run_id": request.run_id,
        "task": task.name,
        "bucket": config.runs_bucket,
        "chunks_uri": chunks_uri,
        "size": len(plan.chunks),
        "tenants": len(planned),
        "items": plan.items,
        "skipped": len(skipped),
    }


def _task_spec(request: PlanRequest, config: Config) -> TaskSpec:
    if request.task != config.task:
        raise BadEventError(f"this function plans task {config.task!r}, not {request.task!r}")
    spec = TASKS.get(config.task)
    if spec is None:
        raise ConfigError(f"BGTASKS_TASK {config.task!r} is not in the task table")
    return spec


def _examine(
    tenants: list[Tenant], task: TaskSpec, rules: RunRules, s3: Any, config: Config
) -> list[_Examined]:
    """Skip rules and listings for every tenant, in parallel, results in tenant order."""

    def examine(tenant: Tenant) -> _Examined:
        reason = skip_tenant(tenant, rules)
        if reason is not None:
            return _Examined(tenant, None, reason)
        try:
            listing = task.list_items(s3, tenant)
        except TenantAccessError as error:
            logger.error("tenant skipped", tenant_id=tenant.tenant_id, reason=str(error))
            return _Examined(tenant, None, UNREADABLE)
        last = None
        if not rules.force:
            last = read_last_success(s3, config.runs_bucket, task.name, tenant.tenant_id)
        return _Examined(tenant, listing, skip_listing(listing, last, rules))

    if not tenants:
        return []
    with ThreadPoolExecutor(max_workers=min(LIST_THREADS, len(tenants))) as pool:
        examined = list(pool.map(examine, tenants))
    for entry in examined:
        if entry.reason == BUCKET_NOT_ALLOWED:
            logger.warning(
                "tenant refused",
                tenant_id=entry.tenant.tenant_id,
                reason=f"bucket {entry.tenant.bucket} is not in BGTASKS_ALLOWED_BUCKETS",
            )
        elif entry.reason is not None and entry.reason != UNREADABLE:
            logger.info("tenant skipped", tenant_id=entry.tenant.tenant_id, reason=entry.reason)
    return examined
