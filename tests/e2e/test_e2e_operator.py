"""The operator CLI against the embedded AWS: run, status, logs, and a redrive that completes a
run in which two chunks failed, without touching the other chunks' outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from e2e_support import (
    AppliedStack,
    SeededTenant,
    expected_thumbnails,
    report,
    run_task,
    seed,
    thumbnails_of,
    unique,
)

from bgtasks.demo.seed import DemoTenant, demo_image
from bgtasks.ops.batchjobs import load_array_job
from bgtasks.ops.history import read_history


def bgtasks(stack: AppliedStack, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as an operator runs it, pointed at the session's endpoint by standard variables."""
    env = {
        "PATH": "/usr/bin:/bin",
        "AWS_ENDPOINT_URL": stack.endpoint,
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    return subprocess.run(
        [sys.executable, "-m", "bgtasks", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def corrupt(stack: AppliedStack, tenant: SeededTenant) -> None:
    for key in tenant.image_keys:
        stack.clients.s3.put_object(Bucket=tenant.bucket, Key=key, Body=b"not an image at all")


def repair(stack: AppliedStack, tenant: SeededTenant) -> None:
    for number, key in enumerate(tenant.image_keys):
        fmt = "PNG" if key.endswith(".png") else "JPEG"
        body = demo_image(tenant.tenant.tenant_id, number, fmt)
        stack.clients.s3.put_object(Bucket=tenant.bucket, Key=key, Body=body)


def chunks_holding(stack: AppliedStack, run_id: str, size: int, tenant_ids: set[str]) -> set[int]:
    found = set()
    for index in range(size):
        body = stack.clients.s3.get_object(
            Bucket=stack.outputs.runs_bucket, Key=f"runs/{run_id}/chunks/{index}.json"
        )["Body"].read()
        if {unit["tenant_id"] for unit in json.loads(body)["units"]} & tenant_ids:
            found.add(index)
    return found


def test_run_starts_the_task_by_name_and_waits(applied_stack: AppliedStack) -> None:
    seed(applied_stack, [DemoTenant(unique("cli"), images=2, urls=0)])

    done = bgtasks(
        applied_stack, "run", "thumbnails", "--env", "local", "--wait", "--format", "json"
    )

    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == "SUCCEEDED"
    assert answer["execution_arn"].endswith(f":bgtasks-local-thumbnails:{answer['run_id']}")


def test_unknown_task_and_execution_fail_with_one_line(applied_stack: AppliedStack) -> None:
    no_task = bgtasks(applied_stack, "run", "no-such-task", "--env", "local")
    no_run = bgtasks(applied_stack, "status", "no-such-run")

    for done in (no_task, no_run):
        assert done.returncode == 1
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_status_shows_failed_children_and_redrive_completes_the_run(
    applied_stack: AppliedStack,
) -> None:
    # Six tenants of equal size: the planner gives each its own chunk.
    tenants = [DemoTenant(unique(f"t{n}-"), images=4, urls=0) for n in range(6)]
    seeded = seed(applied_stack, tenants)
    broken = [seeded[1], seeded[4]]
    for tenant in broken:
        corrupt(applied_stack, tenant)

    run = run_task(applied_stack)

    assert run.status == "FAILED"
    history = read_history(applied_stack.clients.stepfunctions, run.execution.arn)
    plan: dict[str, Any] = history.plan() or {}
    job = load_array_job(applied_stack.clients.batch, history.batch_job_ids[0])
    broken_ids = {t.tenant.tenant_id for t in broken}
    failed = chunks_holding(applied_stack, run.run_id, int(plan["size"]), broken_ids)
    assert len(failed) == 2 and job.failed_indices() == sorted(failed)

    status = bgtasks(applied_stack, "status", run.run_id)
    assert status.returncode == 1  # the run failed
    assert status.stdout.count(" FAILED ") >= 2
    for index in failed:
        assert f"log tail of child {index}" in status.stdout
    logs = bgtasks(applied_stack, "logs", run.run_id, "--index", str(min(failed)))
    assert logs.returncode == 0 and logs.stdout.strip()

    healthy = [t for t in seeded if t not in broken]
    before = {t.tenant.tenant_id: thumbnails_of(applied_stack, t) for t in healthy}
    for tenant in broken:
        repair(applied_stack, tenant)

    redrive = bgtasks(applied_stack, "redrive", run.run_id, "--format", "json")

    assert redrive.returncode == 0, redrive.stderr
    answer = json.loads(redrive.stdout)
    assert answer["redriven_chunks"] == sorted(failed)
    assert answer["merged_chunks"] == sorted(failed)
    sub_job = load_array_job(applied_stack.clients.batch, answer["job_id"])
    assert sub_job.size == 2  # only the failed chunks ran again
    final = report(applied_stack, run.run_id)
    assert final["status"] == "SUCCEEDED" and final["failed_chunks"] == []
    assert final["items_ok"] == 6 * 4
    for tenant in healthy:  # untouched: same keys, same LastModified
        assert thumbnails_of(applied_stack, tenant) == before[tenant.tenant.tenant_id]
    for tenant in broken:
        assert set(thumbnails_of(applied_stack, tenant)) == expected_thumbnails(tenant)
    after = bgtasks(applied_stack, "status", run.run_id)
    size = int(plan["size"])
    assert f"report: SUCCEEDED, {size} of {size} chunks succeeded" in after.stdout
