"""Faults and bad input on the applied envs/local: a killed worker child, a malformed manifest."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import boto3
from e2e_support import (
    AppliedStack,
    expected_thumbnails,
    report,
    seed,
    thumbnails_of,
    unique,
    wait_until,
)

from bgtasks.demo.seed import DemoTenant, split_s3_uri
from bgtasks.ops.batchjobs import load_array_job
from bgtasks.ops.history import read_history
from bgtasks.ops.runs import RunRequest, start_run, wait_for_execution


def worker_processes(run_id: str) -> dict[int, dict[str, str]]:
    """Worker children of this run on this machine: pid -> environment.

    The embedded AWS runs each array child as a local process whose environment carries the
    run's chunks URI; those are the processes this test's own server started.
    """
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "environ").read_bytes()
        except OSError:
            continue
        environ = dict(
            item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item
        )
        if f"/runs/{run_id}/chunks/" in environ.get("BGTASKS_CHUNKS_URI", ""):
            found[int(entry.name)] = environ
    return found


def test_a_killed_worker_child_still_leaves_every_output_exactly_once(
    applied_stack: AppliedStack,
) -> None:
    """SIGKILL one running child mid-chunk, as a Spot reclaim would.

    On AWS the reclaimed child's attempt ends with "Host EC2 (instance ...) terminated." and no
    exit code; the embedded AWS reports a container killed from outside the same way, and the
    worker's job definition retries `Host EC2*`. The run must succeed on its own, with every
    output present exactly once.
    """
    tenants = [DemoTenant(unique(f"kill{n}-"), images=8, urls=0) for n in range(3)]
    seeded = seed(applied_stack, tenants)
    execution = start_run(applied_stack.clients.stepfunctions, RunRequest("thumbnails", "local"))

    victims = wait_until(lambda: worker_processes(execution.run_id), timeout=60)
    pid, environ = next(iter(victims.items()))
    killed_index = int(environ.get("AWS_BATCH_JOB_ARRAY_INDEX", "0"))
    os.kill(pid, signal.SIGKILL)

    described = wait_for_execution(
        applied_stack.clients.stepfunctions, execution.arn, timeout=180, poll=0.3
    )
    history = read_history(applied_stack.clients.stepfunctions, execution.arn)
    job = load_array_job(applied_stack.clients.batch, history.batch_job_ids[0])
    killed = job.children[killed_index]
    assert described["status"] == "SUCCEEDED", described.get("error")
    assert len(killed.attempts) >= 2  # Batch retried the reclaimed child
    assert killed.attempts[0].exit_code is None  # a lost host leaves no exit code
    assert (killed.attempts[0].reason or "").startswith("Host EC2 (instance ")

    summary = report(applied_stack, execution.run_id)
    assert summary["status"] == "SUCCEEDED" and summary["items_failed"] == 0
    assert summary["items_ok"] == 3 * 8
    for tenant in seeded:
        # Keys are unique by construction; "exactly once" means no extra objects either.
        assert set(thumbnails_of(applied_stack, tenant)) == expected_thumbnails(tenant)


def test_a_malformed_manifest_fails_the_run_through_its_catch_and_writes_nothing(
    applied_stack: AppliedStack,
) -> None:
    tenant = DemoTenant(unique("victim"), images=2, urls=0)
    seeded = seed(applied_stack, [tenant])
    bucket, key = split_s3_uri(applied_stack.outputs.tenant_manifest_uri)
    entries = [seeded[0].manifest_entry(), {"tenant_id": "bad one!", "bucket": "x"}]
    applied_stack.clients.s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(entries).encode())
    queue_url = _subscribe_queue(applied_stack)

    execution = start_run(applied_stack.clients.stepfunctions, RunRequest("thumbnails", "local"))
    described = wait_for_execution(
        applied_stack.clients.stepfunctions, execution.arn, timeout=120, poll=0.3
    )

    assert described["status"] == "FAILED"
    failure = report(applied_stack, execution.run_id)
    assert failure["status"] == "FAILED"
    assert "tenant" in json.dumps(failure).lower()
    message = _receive(applied_stack, queue_url)
    assert execution.run_id in message or "tenant" in message.lower()
    assert thumbnails_of(applied_stack, seeded[0]) == {}
    listed = applied_stack.clients.s3.list_objects_v2(
        Bucket=applied_stack.outputs.runs_bucket, Prefix=f"runs/{execution.run_id}/chunks/"
    )
    assert listed.get("KeyCount", 0) == 0  # not even a plan was written


def _client(stack: AppliedStack, service: str) -> Any:
    session = boto3.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    return session.client(service, endpoint_url=stack.endpoint)


def _subscribe_queue(stack: AppliedStack) -> str:
    sqs, sns = _client(stack, "sqs"), _client(stack, "sns")
    queue_url = sqs.create_queue(QueueName=unique("failures-"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(
        TopicArn=stack.outputs.raw["failure_topic_arns"]["thumbnails"],
        Protocol="sqs",
        Endpoint=queue_arn,
    )
    return str(queue_url)


def _receive(stack: AppliedStack, queue_url: str) -> str:
    sqs = _client(stack, "sqs")
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5).get("Messages", [])
    assert messages, "no failure notification arrived"
    body = json.loads(messages[0]["Body"])
    return str(body.get("Message", body))
