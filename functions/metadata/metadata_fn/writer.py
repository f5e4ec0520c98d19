"""Writes a run's plan to the runs bucket: every chunk, then the plan's per-tenant view, then
the run manifest, so a reader that finds the manifest finds every chunk (docs/interfaces.md).

One object per chunk: each child reads only its own (10,000 children never read each other's).
The documents follow `schemas/chunk.schema.json`, `schemas/chunk-manifest.schema.json` and
`schemas/plan.schema.json`; the tests validate them (the Lambda has no jsonschema library).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from metadata_fn.layout import chunk_key, manifest_key, plan_key
from metadata_fn.planning import Plan, Unit
from metadata_fn.s3json import put_json
from metadata_fn.tenants import Tenant

SCHEMA_VERSION = 1
WRITE_THREADS = 32  # S3 PUTs are latency-bound; 10,000 in a row would take minutes


@dataclass(frozen=True)
class PlannedTenant:
    """A tenant going into the plan, with its items (sorted keys or URLs)."""

    tenant: Tenant
    items: list[str]
    fingerprint: str = ""  # of the inputs, recorded on success (see state.py)
    newest_input: str | None = None


@dataclass(frozen=True)
class RunDocuments:
    chunks: list[dict[str, Any]]
    manifest: dict[str, Any]
    plan: dict[str, Any]


def build_documents(
    *,
    run_id: str,
    task: str,
    runs_bucket: str,
    created_at: str,
    plan: Plan,
    planned: list[PlannedTenant],
    skipped: list[dict[str, str]],
    parameters: dict[str, Any],
) -> RunDocuments:
    chunks = [
        {
            "schema_version": SCHEMA_VERSION,
            "run_id": run_id,
            "task": task,
            "index": chunk.index,
            "units": [_unit_document(unit, planned[unit.workload]) for unit in chunk.units],
        }
        for chunk in plan.chunks
    ]
    held: dict[int, list[int]] = {}
    for chunk in plan.chunks:
        for unit in chunk.units:
            held.setdefault(unit.workload, []).append(chunk.index)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "task": task,
        "size": len(chunks),
        "runs_bucket": runs_bucket,
        "allowed_buckets": sorted({entry.tenant.bucket for entry in planned}),
        "created_at": created_at,
        "parameters": parameters,
        "planned": {
            "tenants": len(planned),
            "items": plan.items,
            "makespan": plan.makespan,
            "lower_bound": plan.lower_bound,
            "workers": plan.workers,
            "startup_cost": plan.startup_cost,
        },
    }
    plan_view = {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "task": task,
        "created_at": created_at,
        "tenants": [
            _plan_tenant(entry, sorted(held.get(position, [])))
            for position, entry in enumerate(planned)
        ],
        "skipped": skipped,
    }
    return RunDocuments(chunks, manifest, plan_view)


def write_documents(s3: Any, runs_bucket: str, run_id: str, documents: RunDocuments) -> None:
    """Chunks (in parallel) first, then the plan view, then the manifest; raises on any error,
    leaving no manifest, so a half-written run is never visible to a worker."""
    if documents.chunks:
        with ThreadPoolExecutor(max_workers=min(WRITE_THREADS, len(documents.chunks))) as pool:
            futures = [
                pool.submit(put_json, s3, runs_bucket, chunk_key(run_id, doc["index"]), doc)
                for doc in documents.chunks
            ]
            for future in futures:
                future.result()
    put_json(s3, runs_bucket, plan_key(run_id), documents.plan)
    put_json(s3, runs_bucket, manifest_key(run_id), documents.manifest)


def _plan_tenant(entry: PlannedTenant, chunks: list[int]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "tenant_id": entry.tenant.tenant_id,
        "items": len(entry.items),
        "chunks": chunks,
    }
    if entry.fingerprint:
        document["inputs"] = entry.fingerprint
    if entry.newest_input:
        document["newest_input"] = entry.newest_input
    return document


def _unit_document(unit: Unit, entry: PlannedTenant) -> dict[str, Any]:
    items = [item for start, stop in unit.ranges for item in entry.items[start:stop]]
    document: dict[str, Any] = {
        "tenant_id": entry.tenant.tenant_id,
        "bucket": entry.tenant.bucket,
        "prefix": entry.tenant.prefix,
        "items": items,
        "part": unit.part,
        "parts": unit.parts,
    }
    if entry.tenant.parameters:
        document["parameters"] = entry.tenant.parameters
    return document
