"""Helpers of the Terratest-style tests: seeding tenants, running executions, reading outputs.

Each test works on tenants of its own (unique ids), writes the tenant manifest for them and
runs the real state machine of `envs/local` on the session's embedded AWS.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bgtasks.demo.seed import (
    DemoTenant,
    SeededTenant,
    ensure_private_bucket,
    seed_tenant,
    write_manifest,
)
from bgtasks.demo.stack import StackOutputs
from bgtasks.ops.aws import AwsClients
from bgtasks.ops.names import ExecutionRef
from bgtasks.ops.runs import RunRequest, start_run, wait_for_execution

THUMBNAIL_SIZES = 3  # the demo manifest asks for sizes [64, 256, 512]
RUN_TIMEOUT = 180.0


@dataclass
class AppliedStack:
    """envs/local applied on the session's embedded AWS."""

    outputs: StackOutputs
    clients: AwsClients
    endpoint: str


@dataclass
class FinishedRun:
    execution: ExecutionRef
    described: dict[str, Any]

    @property
    def status(self) -> str:
        return str(self.described["status"])

    @property
    def run_id(self) -> str:
        return self.execution.run_id


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def seed(stack: AppliedStack, tenants: list[DemoTenant]) -> list[SeededTenant]:
    """Seed these tenants only, and make them the whole tenant manifest."""
    seeded = []
    for tenant in tenants:
        bucket, prefix = stack.outputs.tenant_location(tenant.tenant_id)
        ensure_private_bucket(stack.clients.s3, bucket)
        seeded.append(seed_tenant(stack.clients.s3, tenant, bucket, prefix))
    write_manifest(stack.clients.s3, stack.outputs.tenant_manifest_uri, seeded)
    return seeded


def run_task(stack: AppliedStack, task: str = "thumbnails") -> FinishedRun:
    execution = start_run(stack.clients.stepfunctions, RunRequest(task=task, env=stack.outputs.env))
    described = wait_for_execution(
        stack.clients.stepfunctions, execution.arn, RUN_TIMEOUT, poll=0.3
    )
    return FinishedRun(execution, described)


def report(stack: AppliedStack, run_id: str) -> dict[str, Any]:
    body = stack.clients.s3.get_object(
        Bucket=stack.outputs.runs_bucket, Key=f"runs/{run_id}/report.json"
    )["Body"].read()
    value: dict[str, Any] = json.loads(body)
    return value


def keys(stack: AppliedStack, bucket: str, prefix: str) -> dict[str, str]:
    """Every key under `prefix` with its ETag (a rewrite of the same bytes keeps the ETag, so
    LastModified is what shows a rewrite)."""
    found: dict[str, str] = {}
    paginator = stack.clients.s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for entry in page.get("Contents", []):
            found[entry["Key"]] = entry["LastModified"].isoformat()
    return found


def thumbnails_of(stack: AppliedStack, tenant: SeededTenant) -> dict[str, str]:
    return keys(stack, tenant.bucket, f"{tenant.prefix}thumbnails/")


def expected_thumbnails(tenant: SeededTenant) -> set[str]:
    """Every thumbnail the worker must write for the tenant: one per image and size."""
    names = set()
    images = f"{tenant.prefix}images/"
    for key in tenant.image_keys:
        for size in (64, 256, 512):
            names.add(f"{tenant.prefix}thumbnails/{size}/{key[len(images) :]}")
    return names


def wait_until(predicate: Any, timeout: float, poll: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise TimeoutError(f"condition not met within {timeout:.0f}s")
