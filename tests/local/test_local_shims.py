"""The shims: each applies, is idempotent, and refuses loudly when moto's shape changes."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bgtasks.local.sample_stack import build_stack
from bgtasks.local.shims import iam_policy_conditions, sfn_validate_definition
from bgtasks.local.shims.shape import ShimShapeError, expect_function

# Applying the shims patches moto process-wide: do it in a child process, so that other
# tests of this session that use moto in-process see moto as it ships.
_APPLY_TWICE = """
from moto.batch.models import JobDefinition
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_batch as batch,
)
from moto.stepfunctions.responses import StepFunctionResponse
from bgtasks.local import shims
from bgtasks.local.shims.shape import is_patched
first = shims.apply_all()
describe = JobDefinition.describe
assert shims.apply_all() == first
assert JobDefinition.describe is describe
assert len(first) == len(set(first)) == len(shims.SHIMS)
assert is_patched(StepFunctionResponse, "validate_state_machine_definition")
assert is_patched(StepFunctionResponse, "list_state_machine_versions")
assert is_patched(batch.StateTaskServiceBatch, "_normalise_parameters")
print(",".join(first))
"""


def test_every_shim_applies_once_and_marks_what_it_patched():
    result = subprocess.run(
        [sys.executable, "-c", _APPLY_TWICE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "sfn_batch_casing" in result.stdout


class _Moved:
    def renamed(self, other: Any) -> None:
        """A stand-in for a moto method whose parameters changed."""


def test_shape_check_names_the_shim_when_a_parameter_changed():
    with pytest.raises(ShimShapeError, match=r"shim demo_shim: .*_Moved\.renamed takes"):
        expect_function(_Moved, "renamed", ["self", "rules"], "demo_shim")


def test_shape_check_names_the_shim_when_the_attribute_is_gone():
    with pytest.raises(ShimShapeError, match="shim demo_shim: moto has no callable"):
        expect_function(_Moved, "set_lifecycle", ["self"], "demo_shim")


def test_shim_refuses_when_moto_now_implements_what_it_adds(monkeypatch):
    from moto.stepfunctions.responses import StepFunctionResponse

    monkeypatch.setattr(
        StepFunctionResponse,
        "validate_state_machine_definition",
        lambda self: "moto's own",
        raising=False,
    )
    with pytest.raises(ShimShapeError, match="sfn_validate_definition"):
        sfn_validate_definition.apply()


def test_validation_maps_problems_to_aws_diagnostics():
    bad = json.dumps({"StartAt": "Nowhere", "States": {"A": {"Type": "Succeed"}}})
    answer = sfn_validate_definition.validation_response(bad)
    assert answer["result"] == "FAIL"
    assert answer["diagnostics"]
    assert {d["severity"] for d in answer["diagnostics"]} == {"ERROR"}
    assert all(d["location"].startswith("/") for d in answer["diagnostics"])
    good = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    assert sfn_validate_definition.validation_response(good) == {
        "result": "OK",
        "diagnostics": [],
        "truncated": False,
    }


# --- each gap, seen through a real client against the embedded AWS ----------------------------


def test_list_state_machine_versions_answers(embedded_aws):
    sfn = embedded_aws.client("stepfunctions")
    arn = sfn.create_state_machine(
        name="shim-versions",
        roleArn="arn:aws:iam::123456789012:role/x",
        publish=True,
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
    )["stateMachineArn"]
    versions = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [arn + ":1"]


def test_second_start_execution_of_the_same_state_machine_runs(embedded_aws):
    sfn = embedded_aws.client("stepfunctions")
    arn = sfn.create_state_machine(
        name="shim-twice",
        roleArn="arn:aws:iam::123456789012:role/x",
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
    )["stateMachineArn"]
    first = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    second = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    assert first != second and not first.endswith(":None")
    import time

    for execution in (first, second):
        for _ in range(50):
            status = sfn.describe_execution(executionArn=execution)["status"]
            if status != "RUNNING":
                break
            time.sleep(0.1)
        assert status == "SUCCEEDED"


def test_lifecycle_and_filter_keeps_object_size_bounds(embedded_aws):
    s3 = embedded_aws.client("s3")
    s3.create_bucket(Bucket="shim-lifecycle")
    rule = {
        "ID": "small",
        "Status": "Enabled",
        "Expiration": {"Days": 3},
        "Filter": {
            "And": {"Prefix": "runs/", "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 2048}
        },
    }
    put = s3.put_bucket_lifecycle_configuration(
        Bucket="shim-lifecycle", LifecycleConfiguration={"Rules": [rule]}
    )
    read = s3.get_bucket_lifecycle_configuration(Bucket="shim-lifecycle")
    assert read["Rules"][0]["Filter"]["And"] == rule["Filter"]["And"]
    assert put["TransitionDefaultMinimumObjectSize"] == read["TransitionDefaultMinimumObjectSize"]


def test_launch_template_data_does_not_copy_the_templates_own_tags(embedded_aws):
    ec2 = embedded_aws.client("ec2")
    ec2.create_launch_template(
        LaunchTemplateName="shim-tags",
        LaunchTemplateData={
            "TagSpecifications": [
                {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "worker"}]}
            ]
        },
        TagSpecifications=[
            {"ResourceType": "launch-template", "Tags": [{"Key": "Project", "Value": "bgtasks"}]}
        ],
    )
    data = ec2.describe_launch_template_versions(LaunchTemplateName="shim-tags")[
        "LaunchTemplateVersions"
    ][0]["LaunchTemplateData"]
    assert [spec["ResourceType"] for spec in data["TagSpecifications"]] == ["instance"]


def test_launch_template_accepts_a_tag_specification_without_tags(embedded_aws):
    # Without the shim moto answers 500 and the AWS provider retries for minutes.
    ec2 = embedded_aws.client("ec2")
    ec2.create_launch_template(
        LaunchTemplateName="shim-empty-tags",
        LaunchTemplateData={"TagSpecifications": [{"ResourceType": "volume", "Tags": []}]},
    )
    ec2.create_launch_template_version(
        LaunchTemplateName="shim-empty-tags",
        LaunchTemplateData={"TagSpecifications": [{"ResourceType": "instance", "Tags": []}]},
    )
    versions = ec2.describe_launch_template_versions(LaunchTemplateName="shim-empty-tags")[
        "LaunchTemplateVersions"
    ]
    specs = sorted(
        spec["ResourceType"]
        for version in versions
        for spec in version["LaunchTemplateData"]["TagSpecifications"]
    )
    assert specs == ["instance", "volume"]


def test_compute_environment_keeps_update_policy_and_applies_updates(embedded_aws):
    batch = embedded_aws.client("batch")
    stack = build_stack(embedded_aws, max_vcpus=2)
    template = batch.describe_compute_environments(
        computeEnvironments=[stack.compute_environment_arn]
    )["computeEnvironments"][0]
    policy = {"terminateJobsOnUpdate": False, "jobExecutionTimeoutMinutes": 30}
    batch.create_compute_environment(
        computeEnvironmentName="shim-update-policy",
        type="MANAGED",
        state="ENABLED",
        computeResources=template["computeResources"],
        serviceRole=template["serviceRole"],
    )
    batch.update_compute_environment(computeEnvironment="shim-update-policy", updatePolicy=policy)
    assert (
        batch.describe_compute_environments(computeEnvironments=["shim-update-policy"])[
            "computeEnvironments"
        ][0]["updatePolicy"]
        == policy
    )
    batch.update_compute_environment(
        computeEnvironment="shim-update-policy",
        computeResources={
            "maxvCpus": 8,
            "launchTemplate": {"launchTemplateName": "workers", "version": "3"},
        },
        updatePolicy={**policy, "jobExecutionTimeoutMinutes": 45},
    )
    described = batch.describe_compute_environments(computeEnvironments=["shim-update-policy"])[
        "computeEnvironments"
    ][0]
    assert described["updatePolicy"] == {**policy, "jobExecutionTimeoutMinutes": 45}
    resources = described["computeResources"]
    assert resources["maxvCpus"] == 8
    assert resources["launchTemplate"]["version"] == "3"
    assert resources["type"] == "SPOT"  # what the update did not name stays


def test_multinode_job_definition_describes_its_node_properties(embedded_aws):
    batch = embedded_aws.client("batch")
    nodes = {
        "numNodes": 2,
        "mainNode": 0,
        "nodeRangeProperties": [
            {
                "targetNodes": "0:",
                "container": {"image": "busybox", "command": ["true"], "vcpus": 1, "memory": 128},
            }
        ],
    }
    batch.register_job_definition(
        jobDefinitionName="shim-mnp", type="multinode", nodeProperties=nodes
    )
    described = batch.describe_job_definitions(jobDefinitionName="shim-mnp")["jobDefinitions"][0]
    assert described["nodeProperties"]["numNodes"] == 2


def test_bucket_policy_conditions_decide_whether_a_statement_applies(embedded_aws):
    s3 = embedded_aws.client("s3")
    s3.create_bucket(Bucket="shim-policy")

    def deny(sid: str, condition: dict | None) -> dict:
        statement = {
            "Sid": sid,
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::shim-policy", "arn:aws:s3:::shim-policy/*"],
        }
        if condition:
            statement["Condition"] = condition
        return statement

    insecure = deny("DenyInsecureTransport", {"Bool": {"aws:SecureTransport": "false"}})
    s3.put_bucket_policy(
        Bucket="shim-policy", Policy=json.dumps({"Version": "2012-10-17", "Statement": [insecure]})
    )
    s3.put_object(Bucket="shim-policy", Key="k", Body=b"v")  # the condition is false here
    assert s3.get_object(Bucket="shim-policy", Key="k")["Body"].read() == b"v"
    secure = deny("DenySecureTransport", {"Bool": {"aws:SecureTransport": "true"}})
    s3.put_bucket_policy(
        Bucket="shim-policy", Policy=json.dumps({"Version": "2012-10-17", "Statement": [secure]})
    )
    with pytest.raises(ClientError) as denied:
        s3.get_object(Bucket="shim-policy", Key="k")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.parametrize(
    ("conditions", "holds"),
    [
        ({"Bool": {"aws:SecureTransport": "false"}}, False),
        ({"Bool": {"aws:SecureTransport": ["true"]}}, True),
        ({"StringLike": {"s3:prefix": "runs/*"}}, True),
        ({"StringNotLike": {"s3:prefix": "runs/*"}}, False),
        ({"StringEquals": {"aws:PrincipalAccount": "1"}}, False),  # key absent
        ({"StringEqualsIfExists": {"aws:PrincipalAccount": "1"}}, True),
        ({"Null": {"aws:PrincipalAccount": "true"}}, True),
        ({"NumericLessThan": {"s3:max-keys": "10"}}, True),
        ({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}, False),  # unknown
    ],
)
def test_condition_operators(conditions, holds):
    context = {"aws:SecureTransport": "true", "s3:prefix": "runs/1", "s3:max-keys": "5"}
    assert iam_policy_conditions.conditions_hold(conditions, context) is holds
