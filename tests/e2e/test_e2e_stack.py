"""Assertions on the real resources of the applied envs/local (Terratest's "assert" step)."""

from __future__ import annotations

import base64
import email
import json
import re
from typing import Any

import boto3
from e2e_support import AppliedStack
from iam_policy import allowed, role_policies

from bgtasks.asl.loading import substitute
from bgtasks.asl.validator import validate_definition
from bgtasks.local.settings import REPO_ROOT

TASK = "bgtasks-local-thumbnails"


def _client(stack: AppliedStack, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=stack.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_launch_template_user_data_is_mime_multipart_and_reads_the_secret_at_boot(
    applied_stack: AppliedStack,
) -> None:
    ec2 = _client(applied_stack, "ec2")
    templates = ec2.describe_launch_templates()["LaunchTemplates"]
    ours = [t for t in templates if t["LaunchTemplateName"].startswith("bgtasks-local-batch-")]
    assert len(ours) == 1
    version = ec2.describe_launch_template_versions(
        LaunchTemplateId=ours[0]["LaunchTemplateId"], Versions=["$Latest"]
    )["LaunchTemplateVersions"][0]
    user_data = base64.b64decode(version["LaunchTemplateData"]["UserData"])

    message = email.message_from_bytes(user_data)
    assert message.is_multipart() and message.get_content_type() == "multipart/mixed"
    scripts = [part.get_payload() for part in message.walk() if not part.is_multipart()]
    assert scripts, "no part in the user data"
    secret_arn = _client(applied_stack, "secretsmanager").describe_secret(
        SecretId="bgtasks-local-registry"
    )["ARN"]
    text = "\n".join(str(s) for s in scripts)
    assert secret_arn in text and "get-secret-value" in text
    # No credential: the auth data is only ever a shell variable filled at boot.
    assert not re.search(r"ECS_ENGINE_AUTH_DATA=\{", text)
    assert not re.search(r'"(auth|password|username)"\s*:', text, re.IGNORECASE)


def test_the_queue_tries_spot_before_on_demand(applied_stack: AppliedStack) -> None:
    batch = applied_stack.clients.batch
    queue_arn = applied_stack.outputs.raw["job_queue_arn"]
    queue = batch.describe_job_queues(jobQueues=[queue_arn])["jobQueues"][0]
    ordered = sorted(queue["computeEnvironmentOrder"], key=lambda e: e["order"])
    arns = [e["computeEnvironment"] for e in ordered]
    environments = {
        e["computeEnvironmentArn"]: e
        for e in batch.describe_compute_environments(computeEnvironments=arns)[
            "computeEnvironments"
        ]
    }
    kinds = [environments[a]["computeResources"]["type"] for a in arns]
    assert kinds[0] == "SPOT"
    assert kinds[1:] in ([], ["EC2"])  # an on-demand fallback, when enabled, comes after
    assert environments[arns[0]]["computeResources"]["minvCpus"] == 0


def test_the_state_machine_is_the_validated_file_after_templating(
    applied_stack: AppliedStack,
) -> None:
    clients = applied_stack.clients
    machine = clients.stepfunctions.describe_state_machine(
        stateMachineArn=applied_stack.outputs.raw["state_machine_arns"]["thumbnails"]
    )
    function = clients.lambda_.get_function_configuration(FunctionName=f"{TASK}-metadata")
    definitions = clients.batch.describe_job_definitions(status="ACTIVE")["jobDefinitions"]
    worker = max(
        (d for d in definitions if d["jobDefinitionName"].startswith(TASK)),
        key=lambda d: d["revision"],
    )
    variables = {
        "metadata_function_arn": function["FunctionArn"],
        "job_queue_arn": applied_stack.outputs.raw["job_queue_arn"],
        "job_definition_arn": worker["jobDefinitionArn"],
        "failure_topic_arn": applied_stack.outputs.raw["failure_topic_arns"]["thumbnails"],
        "task_name": "thumbnails",
        "max_chunks": function["Environment"]["Variables"]["BGTASKS_MAX_CHUNKS"],
    }
    template = (REPO_ROOT / "statemachines" / "background-task.asl.json").read_text()
    rendered = substitute(template, variables)

    assert validate_definition(rendered) == []
    assert json.loads(machine["definition"]) == json.loads(rendered)


def test_roles_allow_what_the_flow_needs_and_no_more(applied_stack: AppliedStack) -> None:
    iam = _client(applied_stack, "iam")
    runs = f"arn:aws:s3:::{applied_stack.outputs.runs_bucket}"
    other_runs = f"arn:aws:s3:::{applied_stack.outputs.raw['runs_buckets']['sitemap']}"
    tenants = f"arn:aws:s3:::{applied_stack.outputs.tenant_bucket}"
    config = "arn:aws:s3:::" + applied_stack.outputs.tenant_manifest_uri[5:].split("/")[0]

    worker = role_policies(iam, f"{TASK}-worker")
    assert allowed(worker, "s3:GetObject", f"{runs}/runs/r1/chunks/0.json")
    assert allowed(worker, "s3:PutObject", f"{runs}/runs/r1/results/0.json")
    assert allowed(worker, "s3:GetObject", f"{tenants}/tenants/acme/images/a.jpg")
    assert allowed(worker, "s3:PutObject", f"{tenants}/tenants/acme/thumbnails/64/a.jpg")
    assert not allowed(worker, "s3:PutObject", f"{runs}/runs/r1/chunks/0.json")  # plan is read-only
    assert not allowed(worker, "s3:GetObject", f"{runs}/runs/r1/report.json")
    assert not allowed(worker, "s3:PutObject", f"{runs}/state/thumbnails/acme.json")
    assert not allowed(worker, "s3:GetObject", f"{other_runs}/runs/r1/chunks/0.json")
    assert not allowed(worker, "s3:GetObject", f"{config}/tenants.json")
    assert not allowed(worker, "s3:DeleteBucket", tenants)
    assert not allowed(worker, "iam:PassRole", "*")

    machine = role_policies(iam, f"{TASK}-sfn")
    function_arn = applied_stack.clients.lambda_.get_function_configuration(
        FunctionName=f"{TASK}-metadata"
    )["FunctionArn"]
    rule = "arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForBatchJobsRule"
    assert allowed(machine, "lambda:InvokeFunction", function_arn)
    assert allowed(machine, "batch:SubmitJob", applied_stack.outputs.raw["job_queue_arn"])
    assert allowed(machine, "batch:DescribeJobs", "*")
    assert allowed(machine, "events:PutRule", rule)
    assert allowed(
        machine, "sns:Publish", applied_stack.outputs.raw["failure_topic_arns"]["thumbnails"]
    )
    sitemap_function = function_arn.replace("thumbnails", "sitemap")
    assert not allowed(machine, "lambda:InvokeFunction", sitemap_function)
    assert not allowed(
        machine, "sns:Publish", applied_stack.outputs.raw["failure_topic_arns"]["sitemap"]
    )
    assert not allowed(machine, "s3:GetObject", f"{tenants}/tenants/acme/images/a.jpg")
