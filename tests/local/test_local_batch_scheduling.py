"""Local Batch scheduling, read from the recorded status transitions (never from timing)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import pytest

from bgtasks.local.batch_compute import read_transitions
from bgtasks.local.sample_stack import build_stack
from bgtasks.local.testing import RunningAws


def _wait_terminal(aws: RunningAws, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    batch = aws.client("batch")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = batch.describe_jobs(jobs=[job_id])["jobs"][0]
        if job["status"] in ("SUCCEEDED", "FAILED"):
            return job
        time.sleep(0.2)
    raise TimeoutError(job_id)


def _transitions(aws: RunningAws, prefixes: Iterable[str]) -> list[dict[str, Any]]:
    if aws.state_dir is None:
        pytest.skip("transitions are recorded by an embedded AWS this session started")
    wanted = tuple(prefixes)
    return [
        t
        for t in read_transitions(aws.state_dir / "batch-transitions.jsonl")
        if t["job_id"].startswith(wanted)
    ]


def _submit(aws: RunningAws, stack: Any, size: int, seconds: str, **extra: Any) -> str:
    return str(
        aws.client("batch").submit_job(
            jobName="sched",
            jobQueue=stack.queue_arn,
            jobDefinition=stack.job_definition_arn,
            arrayProperties={"size": size},
            containerOverrides={
                "environment": [
                    {"name": "BEHAVIOR", "value": "ok"},
                    {"name": "CHILD_SECONDS", "value": seconds},
                ]
            },
            **extra,
        )["jobId"]
    )


def test_max_vcpus_two_runs_at_most_two_one_vcpu_children_at_once(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=2, vcpus_per_job=1)
    parent = _submit(embedded_aws, stack, size=6, seconds="0.3")
    assert _wait_terminal(embedded_aws, parent)["status"] == "SUCCEEDED"
    running: set[str] = set()
    peak = 0
    for transition in _transitions(embedded_aws, [parent + ":"]):
        if transition["status"] == "STARTING":
            running.add(transition["job_id"])
        elif transition["status"] in ("SUCCEEDED", "FAILED", "RUNNABLE"):
            running.discard(transition["job_id"])
        peak = max(peak, len(running))
    assert peak == 2
    starts = [
        t["job_id"] for t in _transitions(embedded_aws, [parent + ":"]) if t["status"] == "STARTING"
    ]
    assert starts == [f"{parent}:{i}" for i in range(6)]  # queue order


def test_parent_status_follows_children(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=2)
    parent = _submit(embedded_aws, stack, size=3, seconds="0.1")
    _wait_terminal(embedded_aws, parent)
    statuses = [t["status"] for t in _transitions(embedded_aws, [parent]) if t["job_id"] == parent]
    assert statuses == ["PENDING", "RUNNING", "SUCCEEDED"]


def test_n_to_n_children_start_only_after_their_own_predecessor(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=4)
    first = _submit(embedded_aws, stack, size=3, seconds="0.3")
    second = _submit(
        embedded_aws, stack, size=3, seconds="0.1", dependsOn=[{"jobId": first, "type": "N_TO_N"}]
    )
    assert _wait_terminal(embedded_aws, second)["status"] == "SUCCEEDED"
    order = {
        (t["job_id"], t["status"]): t["seq"] for t in _transitions(embedded_aws, [first, second])
    }
    for index in range(3):
        assert order[(f"{second}:{index}", "STARTING")] > order[(f"{first}:{index}", "SUCCEEDED")]


def test_sequential_children_run_one_after_another(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=4)
    parent = _submit(embedded_aws, stack, size=3, seconds="0.1", dependsOn=[{"type": "SEQUENTIAL"}])
    assert _wait_terminal(embedded_aws, parent)["status"] == "SUCCEEDED"
    order = {(t["job_id"], t["status"]): t["seq"] for t in _transitions(embedded_aws, [parent])}
    for index in (1, 2):
        assert (
            order[(f"{parent}:{index}", "STARTING")] > order[(f"{parent}:{index - 1}", "SUCCEEDED")]
        )


def test_job_depending_on_a_failed_job_fails_with_dependency_reason(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=2)
    batch = embedded_aws.client("batch")
    broken = batch.submit_job(
        jobName="broken",
        jobQueue=stack.queue_arn,
        jobDefinition=stack.job_definition_arn,
        containerOverrides={"command": ["sh", "-c", "exit 9"]},
    )["jobId"]
    waiting = batch.submit_job(
        jobName="waiting",
        jobQueue=stack.queue_arn,
        jobDefinition=stack.job_definition_arn,
        dependsOn=[{"jobId": broken}],
    )["jobId"]
    failed = _wait_terminal(embedded_aws, waiting)
    assert failed["status"] == "FAILED"
    assert failed["statusReason"] == "Dependent Job failed"
    assert _wait_terminal(embedded_aws, broken)["container"]["exitCode"] == 9


def test_attempt_duration_timeout_kills_the_job(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=2)
    job = embedded_aws.client("batch").submit_job(
        jobName="slow",
        jobQueue=stack.queue_arn,
        jobDefinition=stack.job_definition_arn,
        containerOverrides={"command": ["sh", "-c", "sleep 30"]},
        timeout={"attemptDurationSeconds": 1},
    )["jobId"]
    failed = _wait_terminal(embedded_aws, job, timeout=20)
    assert failed["status"] == "FAILED"
    assert failed["statusReason"] == "Job attempt duration exceeded timeout"
    assert len(failed["attempts"]) == 1  # timeouts are not retried


def test_killed_container_is_a_reclaimed_host_and_is_retried_by_host_rules(embedded_aws):
    # SIGKILL from outside stands for a Spot reclaim: no exit code, AWS's "Host EC2" reason.
    stack = build_stack(embedded_aws, max_vcpus=2)
    job = embedded_aws.client("batch").submit_job(
        jobName="reclaimed",
        jobQueue=stack.queue_arn,
        jobDefinition=stack.job_definition_arn,
        containerOverrides={
            "command": ["sh", "-c", 'if [ "$AWS_BATCH_JOB_ATTEMPT" = 1 ]; then kill -9 $$; fi']
        },
        retryStrategy={
            "attempts": 2,
            "evaluateOnExit": [
                {"onStatusReason": "Host EC2*", "action": "RETRY"},
                {"onReason": "*", "action": "EXIT"},
            ],
        },
    )["jobId"]
    done = _wait_terminal(embedded_aws, job, timeout=20)
    assert done["status"] == "SUCCEEDED"
    first, second = done["attempts"]
    assert first["statusReason"].startswith("Host EC2 (instance ")
    assert first["statusReason"].endswith(") terminated.")
    assert "exitCode" not in first["container"]
    assert second["container"]["exitCode"] == 0


def test_killed_container_without_a_host_rule_fails_with_the_host_reason(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=2)
    job = embedded_aws.client("batch").submit_job(
        jobName="reclaimed-for-good",
        jobQueue=stack.queue_arn,
        jobDefinition=stack.job_definition_arn,
        containerOverrides={"command": ["sh", "-c", "kill -9 $$"]},
        retryStrategy={"attempts": 1},
    )["jobId"]
    failed = _wait_terminal(embedded_aws, job, timeout=20)
    assert failed["status"] == "FAILED"
    assert failed["statusReason"].startswith("Host EC2 (instance ")
    assert len(failed["attempts"]) == 1


def test_terminate_job_stops_a_running_job(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=2)
    batch = embedded_aws.client("batch")
    job = batch.submit_job(
        jobName="endless",
        jobQueue=stack.queue_arn,
        jobDefinition=stack.job_definition_arn,
        containerOverrides={"command": ["sh", "-c", "sleep 30"]},
    )["jobId"]
    deadline = time.monotonic() + 10
    while batch.describe_jobs(jobs=[job])["jobs"][0]["status"] != "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    batch.terminate_job(jobId=job, reason="stopped by the test")
    failed = _wait_terminal(embedded_aws, job, timeout=15)
    assert failed["status"] == "FAILED"
    assert failed["statusReason"] == "stopped by the test"


NODE_SCRIPT = (
    'echo "node $AWS_BATCH_JOB_NODE_INDEX of $AWS_BATCH_JOB_NUM_NODES, '
    "main $AWS_BATCH_JOB_MAIN_NODE_INDEX at "
    '${AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS:-self}"; '
    'if [ "$AWS_BATCH_JOB_NODE_INDEX" = 0 ]; then sleep 0.3; exit "${MAIN_EXIT:-0}"; fi; sleep 30'
)


def _multinode(aws: RunningAws, stack: Any, main_exit: str) -> dict[str, Any]:
    batch = aws.client("batch")
    container = {
        "image": "busybox",
        "command": ["sh", "-c", NODE_SCRIPT],
        "environment": [{"name": "MAIN_EXIT", "value": main_exit}],
        "resourceRequirements": [
            {"type": "VCPU", "value": "1"},
            {"type": "MEMORY", "value": "128"},
        ],
    }
    definition = batch.register_job_definition(
        jobDefinitionName=f"multinode-{main_exit}",
        type="multinode",
        nodeProperties={
            "numNodes": 3,
            "mainNode": 0,
            "nodeRangeProperties": [{"targetNodes": "0:", "container": container}],
        },
    )["jobDefinitionArn"]
    job = batch.submit_job(jobName="mnp", jobQueue=stack.queue_arn, jobDefinition=definition)
    return _wait_terminal(aws, job["jobId"])


def test_multi_node_job_runs_every_node_and_ends_with_the_main_node(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=4)
    job = _multinode(embedded_aws, stack, "0")
    assert job["status"] == "SUCCEEDED", job.get("statusReason")
    logs = embedded_aws.client("logs")
    streams = logs.describe_log_streams(
        logGroupName="/aws/batch/job", logStreamNamePrefix="multinode-0/"
    )["logStreams"]
    lines = sorted(
        event["message"]
        for stream in streams
        for event in logs.get_log_events(
            logGroupName="/aws/batch/job", logStreamName=stream["logStreamName"]
        )["events"]
    )
    assert lines == [
        "node 0 of 3, main 0 at self",
        "node 1 of 3, main 0 at 127.0.0.1",
        "node 2 of 3, main 0 at 127.0.0.1",
    ]


def test_multi_node_job_fails_with_the_main_nodes_exit_code(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=4)
    job = _multinode(embedded_aws, stack, "5")
    assert job["status"] == "FAILED"
    assert job["container"]["exitCode"] == 5


def test_multi_node_job_larger_than_the_environment_is_refused(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=2)
    job = _multinode(embedded_aws, stack, "0")
    assert job["status"] == "FAILED"
    assert "needs 3 vCPUs" in job["statusReason"]


def test_job_gets_secrets_and_batch_variables_in_its_environment(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=2)
    secret = embedded_aws.client("secretsmanager").create_secret(
        Name="job-secret", SecretString="s3cr3t"
    )["ARN"]
    batch = embedded_aws.client("batch")
    definition = batch.register_job_definition(
        jobDefinitionName="env-test",
        type="container",
        containerProperties={
            "image": "busybox",
            "command": [
                "sh",
                "-c",
                "echo $TOKEN $AWS_BATCH_JOB_ATTEMPT $AWS_BATCH_JQ_NAME "
                "$AWS_DEFAULT_REGION $AWS_ENDPOINT_URL $FROM_DEFINITION",
            ],
            "environment": [{"name": "FROM_DEFINITION", "value": "yes"}],
            "secrets": [{"name": "TOKEN", "valueFrom": secret}],
            "resourceRequirements": [
                {"type": "VCPU", "value": "1"},
                {"type": "MEMORY", "value": "128"},
            ],
        },
    )["jobDefinitionArn"]
    job_id = batch.submit_job(jobName="env", jobQueue=stack.queue_arn, jobDefinition=definition)[
        "jobId"
    ]
    job = _wait_terminal(embedded_aws, job_id)
    assert job["status"] == "SUCCEEDED", job.get("statusReason")
    events = embedded_aws.client("logs").get_log_events(
        logGroupName="/aws/batch/job", logStreamName=job["container"]["logStreamName"]
    )["events"]
    queue_name = stack.queue_arn.rsplit("/", 1)[-1]
    assert [e["message"] for e in events] == [
        f"s3cr3t 1 {queue_name} us-east-1 {embedded_aws.endpoint} yes"
    ]


def test_higher_priority_queue_goes_first_on_a_shared_environment(embedded_aws):
    stack = build_stack(embedded_aws, max_vcpus=1)
    batch = embedded_aws.client("batch")
    urgent_queue = batch.create_job_queue(
        jobQueueName=f"urgent-{stack.queue_arn.rsplit('-', 1)[-1]}",
        state="ENABLED",
        priority=10,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": stack.compute_environment_arn}],
    )["jobQueueArn"]

    def submit(queue: str, name: str, seconds: str) -> str:
        return str(
            batch.submit_job(
                jobName=name,
                jobQueue=queue,
                jobDefinition=stack.job_definition_arn,
                containerOverrides={"command": ["sh", "-c", f"sleep {seconds}"]},
            )["jobId"]
        )

    blocker = submit(stack.queue_arn, "blocker", "1")
    while batch.describe_jobs(jobs=[blocker])["jobs"][0]["status"] not in ("STARTING", "RUNNING"):
        time.sleep(0.05)
    routine = [submit(stack.queue_arn, "routine", "0.1") for _ in range(2)]
    urgent = [submit(urgent_queue, "urgent", "0.1") for _ in range(2)]
    for job_id in routine + urgent:
        assert _wait_terminal(embedded_aws, job_id)["status"] == "SUCCEEDED"
    starts = [
        t["job_id"]
        for t in _transitions(embedded_aws, routine + urgent)
        if t["status"] == "STARTING"
    ]
    assert starts == urgent + routine
