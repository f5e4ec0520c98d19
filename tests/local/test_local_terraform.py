"""Terraform against the embedded AWS: apply, a plan with no changes, destroy leaves nothing."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from terraform_run import Terraform, terraform_for

from bgtasks.local.sample_stack import lambda_zip
from bgtasks.local.testing import RunningAws
from bgtasks.terraform_env import terraform_env

STACK = Path(__file__).parent / "tf_stack"


def _leftovers(aws: RunningAws, prefix: str) -> list[str]:
    """Every resource whose name starts with `prefix` that the embedded AWS still holds."""
    found: list[str] = []
    batch = aws.client("batch")
    found += [
        e["computeEnvironmentName"]
        for e in batch.describe_compute_environments()["computeEnvironments"]
    ]
    found += [q["jobQueueName"] for q in batch.describe_job_queues()["jobQueues"]]
    found += [
        d["jobDefinitionName"]
        for d in batch.describe_job_definitions(status="ACTIVE")["jobDefinitions"]
    ]
    found += [f["FunctionName"] for f in aws.client("lambda").list_functions()["Functions"]]
    found += [m["name"] for m in aws.client("stepfunctions").list_state_machines()["stateMachines"]]
    found += [s["Name"] for s in aws.client("scheduler").list_schedules()["Schedules"]]
    found += [b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]]
    found += [r["RoleName"] for r in aws.client("iam").list_roles()["Roles"]]
    found += [
        p["InstanceProfileName"]
        for p in aws.client("iam").list_instance_profiles()["InstanceProfiles"]
    ]
    found += [t["TopicArn"].rsplit(":", 1)[-1] for t in aws.client("sns").list_topics()["Topics"]]
    found += [s["Name"] for s in aws.client("secretsmanager").list_secrets()["SecretList"]]
    found += [
        t["LaunchTemplateName"]
        for t in aws.client("ec2").describe_launch_templates()["LaunchTemplates"]
    ]
    found += [
        g["logGroupName"].rsplit("/", 1)[-1]
        for g in aws.client("logs").describe_log_groups()["logGroups"]
    ]
    return sorted(name for name in found if name.startswith(prefix))


def test_stack_applies_plans_clean_and_destroys_to_nothing(embedded_aws, tmp_path):
    name = f"tfs-{uuid.uuid4().hex[:6]}"
    zip_path = tmp_path / "metadata.zip"
    zip_path.write_bytes(lambda_zip())
    terraform = terraform_for(
        STACK,
        tmp_path,
        embedded_aws,
        {"endpoint": embedded_aws.endpoint, "name": name, "lambda_zip": str(zip_path)},
    )
    terraform.init()
    try:
        terraform.apply()
        code, output = terraform.plan_exit_code()
        assert code == 0, f"plan after apply is not empty:\n{output[-4000:]}"
        assert _leftovers(embedded_aws, name), "the apply created nothing under its prefix"
    finally:
        terraform.destroy()
    assert _leftovers(embedded_aws, name) == []


def test_invalid_definition_fails_apply_through_validation(embedded_aws, tmp_path):
    """ValidateStateMachineDefinition answers with our ASL validator, as AWS would."""
    stack = Path(__file__).parent / "tf_invalid_sfn"
    terraform = terraform_for(stack, tmp_path, embedded_aws, {"endpoint": embedded_aws.endpoint})
    terraform.init()
    completed = terraform.run("apply", "-auto-approve", check=False)
    assert completed.returncode != 0
    assert "Missing" in completed.stderr
    machines = embedded_aws.client("stepfunctions").list_state_machines()["stateMachines"]
    assert all(machine["name"] != "bgtasks-invalid-definition" for machine in machines)


REPO = Path(__file__).parents[2]
# envs/local reaches ../../modules and ../../statemachines: copy that layout, not just the env.
ENV_LOCAL_TREE = ("envs/local", "modules", "statemachines", "schemas")


@pytest.mark.skipif(
    not (REPO / "envs/local/versions.tf").exists(), reason="envs/local is not in the tree yet"
)
def test_envs_local_applies_plans_clean_and_destroys(embedded_aws, tmp_path):
    from bgtasks.lambda_zip import build_zip

    tree = tmp_path / "tree"
    for part in ENV_LOCAL_TREE:
        if (REPO / part).exists():
            shutil.copytree(
                REPO / part,
                tree / part,
                ignore=shutil.ignore_patterns(
                    ".terraform", "*.tfstate*", ".terraform.lock.hcl", "__pycache__"
                ),
            )
    zip_path = tmp_path / "metadata-function.zip"
    build_zip(REPO / "functions" / "metadata", zip_path)
    before = set(_leftovers(embedded_aws, "bgtasks-local"))
    terraform = Terraform(
        tree / "envs/local",
        terraform_env(embedded_aws.env()),
        {"endpoint": embedded_aws.endpoint, "lambda_zip_path": str(zip_path)},
    )
    terraform.init()
    try:
        terraform.apply()
        code, output = terraform.plan_exit_code()
        assert code == 0, f"plan after apply is not empty:\n{output[-6000:]}"
    finally:
        terraform.destroy()
    assert set(_leftovers(embedded_aws, "bgtasks-local")) <= before
