"""The demo, phase by phase: embedded AWS, `terraform apply envs/local`, seed, one run.

Each phase prints one line when it ends, with its wall time; the run shows live progress; the
last line is DESIGN.md §4's `demo: <STATUS> chunks=<n> wall=<seconds>s`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from botocore.exceptions import ClientError

from bgtasks.demo.embedded import ensure_running, forget_stale_state
from bgtasks.demo.progress import ProgressPrinter, Snapshot, take_snapshot
from bgtasks.demo.seed import (
    DEMO_TENANTS,
    SeededTenant,
    ensure_private_bucket,
    seed_tenant,
    write_manifest,
)
from bgtasks.demo.stack import StackOutputs, local_stack
from bgtasks.local.settings import Settings
from bgtasks.ops.aws import LOCAL_ENDPOINT, AwsClients, AwsSettings, make_clients
from bgtasks.ops.history import read_history
from bgtasks.ops.runs import FINAL_EXECUTION_STATUSES, RunRequest, start_run

DEMO_TASK = "thumbnails"
POLL_SECONDS = 0.4


@dataclass
class DemoResult:
    """What the demo did, for the final line and the benchmark."""

    status: str = "FAILED"
    chunks: int = 0
    run_id: str | None = None
    report_uri: str | None = None
    report: dict[str, Any] | None = None
    phases: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0

    def final_line(self) -> str:
        return f"demo: {self.status} chunks={self.chunks} wall={self.wall:.1f}s"


@dataclass(frozen=True)
class DemoOptions:
    settings: Settings
    task: str = DEMO_TASK
    timeout: float = 600.0
    interactive: bool = False


class DemoError(Exception):
    """A phase of the demo failed; the message says which and why."""


def run_demo(options: DemoOptions, out: TextIO) -> DemoResult:
    """Every phase of the demo; raises DemoError with the failing phase's reason."""
    result = DemoResult()
    started = time.monotonic()

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        began = time.monotonic()
        out.write(f"- {name} ...\n")
        out.flush()
        yield
        result.phases[name] = time.monotonic() - began
        out.write(f"  done in {result.phases[name]:.1f}s\n")
        out.flush()

    settings = options.settings
    work_dir = settings.state_dir / "demo"
    with phase(f"embedded AWS on {settings.endpoint}"):
        identity, started_here = ensure_running(settings)
        stack = local_stack(settings.endpoint, work_dir)
        if forget_stale_state(identity, work_dir / "server.json", stack.state_file):
            out.write("  (new embedded AWS: applying envs/local from an empty state)\n")
        out.write("  started it (make down stops it)\n" if started_here else "  already running\n")
    with phase("terraform init + apply envs/local (log: .local/demo/terraform.log)"):
        stack.init()
        stack.apply()
        outputs = StackOutputs.from_terraform(stack.outputs())
    clients = make_clients(AwsSettings(endpoint_url=settings.endpoint, local=True))
    with phase("seed demo tenants (generated images and URL lists)"):
        seeded = seed_demo_tenants(clients, outputs)
        for tenant in seeded:
            state = "enabled" if tenant.tenant.enabled else "disabled"
            out.write(
                f"  {tenant.tenant.tenant_id:<10} {tenant.tenant.images:>3} images "
                f"{tenant.tenant.urls:>5} URLs  s3://{tenant.bucket}/{tenant.prefix}  ({state})\n"
            )
    with phase(f"run task {options.task}"):
        request = RunRequest(task=options.task, env=outputs.env)
        execution = start_run(clients.stepfunctions, request)
        result.run_id = execution.run_id
        out.write(f"  run {execution.run_id}\n")
        printer = ProgressPrinter(out, options.interactive)
        last = watch(clients, execution.arn, printer, options.timeout)
        printer.finish()
        result.status = last.execution_status
        result.chunks = last.size or 0
        if result.status != "SUCCEEDED":
            history = read_history(clients.stepfunctions, execution.arn)
            out.write(f"  run {result.status}: {history.error}: {history.cause}\n")
    result.report_uri = f"s3://{outputs.runs_bucket}/runs/{execution.run_id}/report.json"
    result.report = read_report(clients, outputs.runs_bucket, execution.run_id)
    result.wall = time.monotonic() - started
    print_outputs(out, result, seeded, outputs)
    return result


def seed_demo_tenants(
    clients: AwsClients, outputs: StackOutputs, edition: str | None = None
) -> list[SeededTenant]:
    """Seed every demo tenant into the stack's tenant bucket, then write the manifest.

    Each call draws a new edition of the images (the time), so the run has work to do even
    when the tenants were processed by an earlier demo.
    """
    edition = edition if edition is not None else datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    seeded = []
    for tenant in DEMO_TENANTS:
        bucket, prefix = outputs.tenant_location(tenant.tenant_id)
        ensure_private_bucket(clients.s3, bucket)
        seeded.append(seed_tenant(clients.s3, tenant, bucket, prefix, edition))
    write_manifest(clients.s3, outputs.tenant_manifest_uri, seeded)
    return seeded


def watch(
    clients: AwsClients, execution_arn: str, printer: ProgressPrinter, timeout: float
) -> Snapshot:
    """Show progress until the execution ends; the last snapshot."""
    deadline = time.monotonic() + timeout
    while True:
        snapshot = take_snapshot(clients.stepfunctions, clients.batch, execution_arn)
        printer.show(snapshot)
        if snapshot.execution_status in FINAL_EXECUTION_STATUSES:
            return snapshot
        if time.monotonic() > deadline:
            raise DemoError(f"the run did not finish within {timeout:.0f}s")
        time.sleep(POLL_SECONDS)


def read_report(clients: AwsClients, bucket: str, run_id: str) -> dict[str, Any] | None:
    try:
        body = clients.s3.get_object(Bucket=bucket, Key=f"runs/{run_id}/report.json")["Body"]
    except ClientError:  # no report (nothing to do), or not readable: the line says so
        return None
    value = json.loads(body.read())
    return value if isinstance(value, dict) else None


def print_outputs(
    out: TextIO, result: DemoResult, seeded: list[SeededTenant], outputs: StackOutputs
) -> None:
    """Where to look: the report, the thumbnails, and the commands that show more."""
    endpoint = outputs.endpoint
    out.write("\nwhere to look:\n")
    out.write(f"  run report   {result.report_uri}\n")
    if result.report is not None:
        report = result.report
        out.write(
            f"               {report.get('status')}: {report.get('succeeded_chunks')} of "
            f"{report.get('size')} chunks, {report.get('items_ok')} images done, "
            f"{report.get('items_failed')} failed, {report.get('tenants_succeeded')} tenants\n"
        )
    else:
        out.write("               (no report: see bgtasks status below)\n")
    for tenant in seeded:
        if tenant.tenant.enabled and tenant.image_keys:
            out.write(f"  thumbnails   s3://{tenant.bucket}/{tenant.prefix}thumbnails/\n")
    out.write("  try:\n")
    where = "--local" if endpoint == LOCAL_ENDPOINT else f"--local --endpoint-url {endpoint}"
    out.write(f"    .venv/bin/bgtasks status {result.run_id} {where}\n")
    out.write(f"    .venv/bin/bgtasks logs {result.run_id} --index 0 {where}\n")
    out.write(
        f"    AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test .venv/bin/aws --region us-east-1 "
        f"--endpoint-url {endpoint} s3 ls --recursive s3://{seeded[0].bucket}/{seeded[0].prefix}thumbnails/\n"
    )
    out.write("    make down     # stop the embedded AWS\n")
    phases = ", ".join(f"{name.split(' ')[0]} {took:.1f}s" for name, took in result.phases.items())
    out.write(f"  phases: {phases}\n")
