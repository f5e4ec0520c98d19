"""Images whose repository ends in bgtasks-worker run `python -m worker` from the repository."""

from __future__ import annotations

import time

import pytest

from bgtasks.local.batch_jobs import is_worker_image, repository_name
from bgtasks.local.sample_stack import build_stack


@pytest.mark.parametrize(
    ("image", "repository"),
    [
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/bgtasks-worker:latest", "bgtasks-worker"),
        ("localhost:5000/team/bgtasks-worker@sha256:abc", "team/bgtasks-worker"),
        ("bgtasks-worker", "bgtasks-worker"),
        ("public.ecr.aws/docker/library/busybox:1.36", "docker/library/busybox"),
    ],
)
def test_repository_name_drops_registry_tag_and_digest(image, repository):
    assert repository_name(image) == repository
    assert is_worker_image(image) == repository.endswith("bgtasks-worker")


def test_worker_image_runs_the_worker_from_source(embedded_aws):
    stack = build_stack(embedded_aws)
    batch = embedded_aws.client("batch")
    definition = batch.register_job_definition(
        jobDefinitionName="worker-image-test",
        type="container",
        containerProperties={
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/bgtasks-worker:latest",
            "command": ["--help"],
            "resourceRequirements": [
                {"type": "VCPU", "value": "1"},
                {"type": "MEMORY", "value": "512"},
            ],
        },
    )["jobDefinitionArn"]
    job_id = batch.submit_job(
        jobName="worker-help", jobQueue=stack.queue_arn, jobDefinition=definition
    )["jobId"]
    for _ in range(300):
        job = batch.describe_jobs(jobs=[job_id])["jobs"][0]
        if job["status"] in ("SUCCEEDED", "FAILED"):
            break
        time.sleep(0.1)
    assert job["status"] == "SUCCEEDED", job.get("statusReason")
    events = embedded_aws.client("logs").get_log_events(
        logGroupName="/aws/batch/job", logStreamName=job["container"]["logStreamName"]
    )["events"]
    assert any("usage: python -m worker" in e["message"] for e in events)
