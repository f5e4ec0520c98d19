"""The project's own `statemachines/background-task.asl.json`, run on the embedded AWS.

A stand-in metadata Lambda (the interfaces.md event contract, nothing more) and host-command
children, so this pins the state machine and the embedded AWS together, not the real Lambda.
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid
import zipfile
from pathlib import Path

import pytest

from bgtasks.local.sample_stack import CHILD_SCRIPT, build_stack
from bgtasks.local.testing import RunningAws

TEMPLATE = Path(__file__).parents[2] / "statemachines" / "background-task.asl.json"

STAND_IN = """
import os


def handler(event, context):
    mode, run_id = event["mode"], event["run_id"]
    if mode == "plan":
        size = int(os.environ["CHUNKS"])
        return {"run_id": run_id, "chunks_uri": f"s3://runs/runs/{run_id}/chunks/",
                "size": size, "tenants": size, "items": size}
    if mode == "summary":
        failed = "Error" in event["batch"]
        return {"run_id": run_id, "report_uri": f"s3://runs/runs/{run_id}/report.json",
                "status": "FAILED" if failed else "SUCCEEDED",
                "succeeded_chunks": 0 if failed else event["size"],
                "failed_chunks": [4] if failed else []}
    return {"run_id": run_id, "report_uri": "s3://runs/report.json",
            "status": "FAILED", "message": "run failed: " + event["error"]["Error"]}
"""


def _render(variables: dict[str, str]) -> str:
    text = TEMPLATE.read_text()
    return re.sub(r"\$\{(\w+)\}", lambda match: variables[match.group(1)], text)


def _deploy(aws: RunningAws, behavior: str, chunks: int = 6) -> str:
    stack = build_stack(aws, max_vcpus=2)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("stand_in.py", STAND_IN)
    suffix = uuid.uuid4().hex[:6]
    role = aws.client("iam").create_role(
        RoleName=f"real-sm-{suffix}", AssumeRolePolicyDocument="{}"
    )
    function = aws.client("lambda").create_function(
        FunctionName=f"real-sm-{suffix}",
        Runtime="python3.11",
        Role=role["Role"]["Arn"],
        Handler="stand_in.handler",
        Code={"ZipFile": buffer.getvalue()},
        Timeout=30,
        Environment={"Variables": {"CHUNKS": str(chunks)}},
    )
    batch = aws.client("batch")
    definition = batch.register_job_definition(
        jobDefinitionName=f"real-sm-{suffix}",
        type="container",
        containerProperties={
            "image": "busybox",
            "command": ["sh", "-c", CHILD_SCRIPT],
            "environment": [{"name": "BEHAVIOR", "value": behavior}],
            "resourceRequirements": [
                {"type": "VCPU", "value": "1"},
                {"type": "MEMORY", "value": "256"},
            ],
        },
    )["jobDefinitionArn"]
    topic = aws.client("sns").create_topic(Name=f"real-sm-{suffix}")["TopicArn"]
    rendered = _render(
        {
            "metadata_function_arn": function["FunctionArn"],
            "job_queue_arn": stack.queue_arn,
            "job_definition_arn": definition,
            "failure_topic_arn": topic,
            "task_name": "thumbnails",
            "max_chunks": "10",
        }
    )
    return str(
        aws.client("stepfunctions").create_state_machine(
            name=f"bgtasks-local-real-{suffix}", definition=rendered, roleArn=role["Role"]["Arn"]
        )["stateMachineArn"]
    )


def _run(aws: RunningAws, machine: str) -> dict:
    sfn = aws.client("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
    for _ in range(600):
        described: dict = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.2)
    raise TimeoutError(arn)


pytestmark = pytest.mark.skipif(not TEMPLATE.exists(), reason="no background-task.asl.json yet")


def test_background_task_state_machine_succeeds_with_six_chunks(embedded_aws):
    execution = _run(embedded_aws, _deploy(embedded_aws, "ok"))
    assert execution["status"] == "SUCCEEDED", execution
    output = json.loads(execution["output"])
    assert output["batch"]["Status"] == "SUCCEEDED"
    assert output["summary"]["succeeded_chunks"] == 6


def test_background_task_state_machine_fails_when_a_chunk_fails(embedded_aws):
    execution = _run(embedded_aws, _deploy(embedded_aws, "fail"))
    assert execution["status"] == "FAILED"
    assert execution["error"] == "Bgtasks.ChunksFailed"
    events = embedded_aws.client("stepfunctions").get_execution_history(
        executionArn=execution["executionArn"], maxResults=1000
    )["events"]
    failed = [e["taskFailedEventDetails"] for e in events if e["type"] == "TaskFailed"]
    assert "child 4" in json.loads(failed[0]["cause"])["StatusReason"]


def test_background_task_state_machine_runs_one_chunk_as_a_plain_job(embedded_aws):
    execution = _run(embedded_aws, _deploy(embedded_aws, "ok", chunks=1))
    assert execution["status"] == "SUCCEEDED", execution
    output = json.loads(execution["output"])
    job = embedded_aws.client("batch").describe_jobs(jobs=[output["batch"]["JobId"]])["jobs"][0]
    assert job["status"] == "SUCCEEDED"
    assert "arrayProperties" not in job


def test_background_task_state_machine_with_nothing_to_do_submits_nothing(embedded_aws):
    execution = _run(embedded_aws, _deploy(embedded_aws, "ok", chunks=0))
    assert execution["status"] == "SUCCEEDED", execution
    events = embedded_aws.client("stepfunctions").get_execution_history(
        executionArn=execution["executionArn"], maxResults=1000
    )["events"]
    assert not [
        e
        for e in events
        if e["type"] == "TaskScheduled"
        and e["taskScheduledEventDetails"]["resourceType"] == "batch"
    ]


CHAINED = TEMPLATE.with_name("chained-stages.asl.json")
STAGE_SCRIPT = (
    "i=${AWS_BATCH_JOB_ARRAY_INDEX:-0}; "
    'if [ -n "$PREVIOUS" ] && [ ! -f "$MARKERS/$PREVIOUS-$i" ]; then '
    'echo "stage $STAGE child $i started before $PREVIOUS-$i"; exit 9; fi; '
    'sleep 0.$(( (3 - i % 3) )); touch "$MARKERS/$STAGE-$i"'
)


@pytest.mark.skipif(not CHAINED.exists(), reason="no chained-stages.asl.json yet")
def test_chained_stages_run_each_child_after_its_own_predecessor(embedded_aws, tmp_path):
    stack = build_stack(embedded_aws, max_vcpus=4)
    batch = embedded_aws.client("batch")
    suffix = uuid.uuid4().hex[:6]
    definitions = {}
    for stage, previous in (("a", ""), ("b", "a"), ("c", "b")):
        definitions[stage] = batch.register_job_definition(
            jobDefinitionName=f"chained-{stage}-{suffix}",
            type="container",
            containerProperties={
                "image": "busybox",
                "command": ["sh", "-c", STAGE_SCRIPT],
                "environment": [
                    {"name": "STAGE", "value": stage},
                    {"name": "PREVIOUS", "value": previous},
                    {"name": "MARKERS", "value": str(tmp_path)},
                ],
                "resourceRequirements": [
                    {"type": "VCPU", "value": "1"},
                    {"type": "MEMORY", "value": "128"},
                ],
            },
        )["jobDefinitionArn"]
    role = embedded_aws.client("iam").create_role(
        RoleName=f"chained-{suffix}", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("stand_in.py", STAND_IN)
    function = embedded_aws.client("lambda").create_function(
        FunctionName=f"chained-{suffix}",
        Runtime="python3.11",
        Role=role,
        Handler="stand_in.handler",
        Code={"ZipFile": buffer.getvalue()},
        Timeout=30,
        Environment={"Variables": {"CHUNKS": "6"}},
    )["FunctionArn"]
    topic = embedded_aws.client("sns").create_topic(Name=f"chained-{suffix}")["TopicArn"]
    text = re.sub(
        r"\$\{(\w+)\}",
        lambda match: {
            "metadata_function_arn": function,
            "job_queue_arn": stack.queue_arn,
            "job_definition_arn": definitions["a"],
            "stage_b_job_definition_arn": definitions["b"],
            "stage_c_job_definition_arn": definitions["c"],
            "failure_topic_arn": topic,
            "task_name": "chained",
            "max_chunks": "10",
        }[match.group(1)],
        CHAINED.read_text(),
    )
    machine = embedded_aws.client("stepfunctions").create_state_machine(
        name=f"bgtasks-local-chained-{suffix}", definition=text, roleArn=role
    )["stateMachineArn"]
    execution = _run(embedded_aws, machine)
    assert execution["status"] == "SUCCEEDED", execution
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"{stage}-{index}" for stage in "abc" for index in range(6)
    )
