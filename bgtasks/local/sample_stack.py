"""A small background-task stack built with boto3 on the embedded AWS (tests and benchmark).

The same shape as `statemachines/background-task.asl.json`: plan Lambda -> Choice ->
`batch:submitJob.sync` array job -> summary Lambda; Catch -> failure Lambda + SNS + Fail.
Children run a host command (`sh -c`) that behaves as the `BEHAVIOR` variable says.
"""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from bgtasks.local.testing import RunningAws

HANDLER_SOURCE = """
import json
import os

import boto3


def handler(event, context):
    mode = event["mode"]
    if mode == "plan":
        # Proves the handler reaches the embedded AWS through AWS_ENDPOINT_URL.
        boto3.client("s3").put_object(
            Bucket=os.environ["RUNS_BUCKET"], Key=f"plans/{context.aws_request_id}.json",
            Body=json.dumps(event).encode(),
        )
        return {"size": event["size"], "behavior": event["behavior"]}
    if mode == "summary":
        return {"status": "SUCCEEDED", "batch_status": event["batch"]["status"]}
    if mode == "failure":
        return {"status": "FAILED", "message": "run failed: " + event["error"]["Error"]}
    raise ValueError("unknown mode " + mode)
"""

CHILD_SCRIPT = r"""
i=${AWS_BATCH_JOB_ARRAY_INDEX:-0}; a=$AWS_BATCH_JOB_ATTEMPT
case "$BEHAVIOR" in
  retry) if [ "$i" = 3 ] && [ "$a" = 1 ]; then echo "child $i is flaky"; exit 3; fi ;;
  fail) if [ "$i" = 4 ]; then echo "child $i is broken"; exit 7; fi ;;
esac
sleep "${CHILD_SECONDS:-0.2}"
echo "child $i attempt $a ok"
"""


def lambda_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", HANDLER_SOURCE)
    return buffer.getvalue()


def definition(function_arn: str, queue_arn: str, job_definition_arn: str, topic_arn: str) -> str:
    catch = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RecordFailure"}]
    return json.dumps(
        {
            "Comment": "test stack of the background-task shape",
            "StartAt": "Plan",
            "States": {
                "Plan": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {
                        "FunctionName": function_arn,
                        "Payload": {
                            "mode": "plan",
                            "size.$": "$.size",
                            "behavior.$": "$.behavior",
                        },
                    },
                    "ResultSelector": {
                        "size.$": "$.Payload.size",
                        "behavior.$": "$.Payload.behavior",
                    },
                    "ResultPath": "$.plan",
                    "Catch": catch,
                    "Next": "AnyWork",
                },
                "AnyWork": {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": "$.plan.size", "NumericEquals": 0, "Next": "NothingToDo"}
                    ],
                    "Default": "RunChunks",
                },
                "NothingToDo": {"Type": "Succeed"},
                "RunChunks": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::batch:submitJob.sync",
                    "Parameters": {
                        "JobName": "chunks",
                        "JobQueue": queue_arn,
                        "JobDefinition": job_definition_arn,
                        "ArrayProperties": {"Size.$": "$.plan.size"},
                        "ContainerOverrides": {
                            "Environment": [{"Name": "BEHAVIOR", "Value.$": "$.plan.behavior"}]
                        },
                    },
                    "ResultSelector": {"status.$": "$.Status", "job_id.$": "$.JobId"},
                    "ResultPath": "$.batch",
                    "Catch": catch,
                    "Next": "Summarise",
                },
                "Summarise": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {
                        "FunctionName": function_arn,
                        "Payload": {"mode": "summary", "batch.$": "$.batch"},
                    },
                    "ResultSelector": {"summary.$": "$.Payload"},
                    "Catch": catch,
                    "End": True,
                },
                "RecordFailure": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {
                        "FunctionName": function_arn,
                        "Payload": {"mode": "failure", "error.$": "$.error"},
                    },
                    "ResultPath": "$.failure",
                    "Next": "Notify",
                },
                "Notify": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sns:publish",
                    "Parameters": {"TopicArn": topic_arn, "Message.$": "$.failure.Payload.message"},
                    "ResultPath": None,
                    "Next": "Failed",
                },
                "Failed": {"Type": "Fail", "Error": "RunFailed", "Cause": "see the run report"},
            },
        }
    )


@dataclass
class Stack:
    state_machine_arn: str
    queue_arn: str
    job_definition_arn: str
    function_name: str
    bucket: str
    compute_environment_arn: str


def build_stack(aws: RunningAws, max_vcpus: int = 2, vcpus_per_job: int = 1) -> Stack:
    """IAM role, bucket, topic, Lambda, CE (maxvCpus), queue, job definition, state machine."""
    suffix = uuid.uuid4().hex[:8]
    iam, s3 = aws.client("iam"), aws.client("s3")
    role_arn = iam.create_role(
        RoleName=f"bgtasks-test-{suffix}",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    profile_arn = iam.create_instance_profile(InstanceProfileName=f"bgtasks-test-{suffix}")[
        "InstanceProfile"
    ]["Arn"]
    bucket = f"bgtasks-test-runs-{suffix}"
    s3.create_bucket(Bucket=bucket)
    topic_arn = aws.client("sns").create_topic(Name=f"bgtasks-test-{suffix}")["TopicArn"]
    function = aws.client("lambda").create_function(
        FunctionName=f"bgtasks-test-metadata-{suffix}",
        Runtime="python3.11",
        Role=role_arn,
        Handler="handler.handler",
        Code={"ZipFile": lambda_zip()},
        Timeout=30,
        Environment={"Variables": {"RUNS_BUCKET": bucket}},
    )
    batch = aws.client("batch")
    subnet, security_group = _network(aws, suffix)
    environment_arn = batch.create_compute_environment(
        computeEnvironmentName=f"bgtasks-test-{suffix}",
        type="MANAGED",
        state="ENABLED",
        computeResources={
            "type": "SPOT",
            "minvCpus": 0,
            "maxvCpus": max_vcpus,
            "instanceTypes": ["optimal"],
            "subnets": [subnet],
            "securityGroupIds": [security_group],
            "instanceRole": profile_arn,
        },
        serviceRole=role_arn,
    )["computeEnvironmentArn"]
    queue_arn = batch.create_job_queue(
        jobQueueName=f"bgtasks-test-{suffix}",
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": environment_arn}],
    )["jobQueueArn"]
    job_definition_arn = batch.register_job_definition(
        jobDefinitionName=f"bgtasks-test-{suffix}",
        type="container",
        containerProperties={
            "image": "public.ecr.aws/docker/library/busybox:latest",
            "command": ["sh", "-c", CHILD_SCRIPT],
            "resourceRequirements": [
                {"type": "VCPU", "value": str(vcpus_per_job)},
                {"type": "MEMORY", "value": "512"},
            ],
        },
        retryStrategy={
            "attempts": 2,
            "evaluateOnExit": [
                {"onExitCode": "3", "action": "RETRY"},
                {"onExitCode": "*", "action": "EXIT"},
            ],
        },
    )["jobDefinitionArn"]
    state_machine_arn = aws.client("stepfunctions").create_state_machine(
        name=f"bgtasks-test-{suffix}",
        definition=definition(function["FunctionArn"], queue_arn, job_definition_arn, topic_arn),
        roleArn=role_arn,
    )["stateMachineArn"]
    return Stack(
        state_machine_arn,
        queue_arn,
        job_definition_arn,
        function["FunctionName"],
        bucket,
        environment_arn,
    )


def _network(aws: RunningAws, suffix: str) -> tuple[str, str]:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(
        GroupName=f"bgtasks-test-{suffix}", Description="test", VpcId=vpc
    )["GroupId"]
    return str(subnet), str(group)


def run_execution(
    aws: RunningAws, stack: Stack, size: int, behavior: str, timeout: float = 90.0
) -> dict[str, Any]:
    """Start an execution and wait for its end; returns DescribeExecution's answer."""
    sfn = aws.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=stack.state_machine_arn,
        input=json.dumps({"size": size, "behavior": behavior}),
    )["executionArn"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described: dict[str, Any] = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.2)
    raise TimeoutError(f"execution {arn} still running after {timeout:.0f} s")


def history(aws: RunningAws, execution_arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = aws.client("stepfunctions").get_execution_history(
        executionArn=execution_arn, maxResults=1000
    )["events"]
    return events
