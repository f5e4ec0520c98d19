"""In-process moto for the operator CLI's unit tests (no server, no Docker).

Batch uses moto's "simple" backend: jobs finish at once, SUCCEEDED, or FAILED when
MOTO_SIMPLE_BATCH_FAIL_AFTER is set. That is enough to pin down how we read jobs and children;
the real flow (our local compute running the worker) is exercised in tests/e2e.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

from bgtasks.ops.aws import AwsClients

REGION = "us-east-1"
PASS_DEFINITION = json.dumps({"StartAt": "Plan", "States": {"Plan": {"Type": "Pass", "End": True}}})


@dataclass
class BatchSetup:
    queue_arn: str
    definition_arn: str


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsClients]:
    """Clients on a fresh in-process moto, with the region and fake credentials set."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "MOTO_SIMPLE_BATCH_FAIL_AFTER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(config={"batch": {"use_docker": False}}):
        session = boto3.Session(region_name=REGION)
        yield AwsClients.from_session(session, endpoint_url=None)


@pytest.fixture
def state_machine(aws: AwsClients) -> str:
    """The state machine of task `thumbnails` in env `local`, and a decoy of another project."""
    iam = boto3.client("iam", region_name=REGION)
    role = iam.create_role(
        RoleName="sfn",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    aws.stepfunctions.create_state_machine(
        name="other-local-thumbnails", definition=PASS_DEFINITION, roleArn=role
    )
    created = aws.stepfunctions.create_state_machine(
        name="bgtasks-local-thumbnails", definition=PASS_DEFINITION, roleArn=role
    )
    return str(created["stateMachineArn"])


@pytest.fixture
def batch_setup(aws: AwsClients) -> BatchSetup:
    """An unmanaged compute environment, a queue and a job definition logging to awslogs."""
    iam = boto3.client("iam", region_name=REGION)
    role = iam.create_role(
        RoleName="batch",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    environment = aws.batch.create_compute_environment(
        computeEnvironmentName="bgtasks-local-ce",
        type="UNMANAGED",
        state="ENABLED",
        serviceRole=role,
    )
    queue = aws.batch.create_job_queue(
        jobQueueName="bgtasks-local-queue",
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[
            {"order": 1, "computeEnvironment": environment["computeEnvironmentArn"]}
        ],
    )
    definition = aws.batch.register_job_definition(
        jobDefinitionName="bgtasks-local-thumbnails",
        type="container",
        containerProperties={
            "image": "example/bgtasks-worker:latest",
            "command": ["run"],
            "resourceRequirements": [
                {"type": "VCPU", "value": "1"},
                {"type": "MEMORY", "value": "512"},
            ],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {"awslogs-group": "/aws/batch/bgtasks-local"},
            },
        },
    )
    return BatchSetup(queue_arn=queue["jobQueueArn"], definition_arn=definition["jobDefinitionArn"])


SubmitArray = Callable[..., str]


@pytest.fixture
def submit_array(aws: AwsClients, batch_setup: BatchSetup) -> SubmitArray:
    """Submit an array job of `size` children on the test queue; returns its job id."""

    def submit(size: int, **extra: Any) -> str:
        submitted = aws.batch.submit_job(
            jobName="thumbnails",
            jobQueue=batch_setup.queue_arn,
            jobDefinition=batch_setup.definition_arn,
            arrayProperties={"size": size},
            containerOverrides={
                "environment": [
                    {"name": "BGTASKS_CHUNKS_URI", "value": "s3://runs/runs/r1/chunks/"}
                ]
            },
            **extra,
        )
        return str(submitted["jobId"])

    return submit
