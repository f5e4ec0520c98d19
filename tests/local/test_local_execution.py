"""End to end on the embedded AWS: a state machine runs a Lambda and a 6-child array job."""

from __future__ import annotations

import json

from bgtasks.local.sample_stack import build_stack, history, run_execution
from bgtasks.local.testing import RunningAws


def _array_job(aws: RunningAws, execution_arn: str) -> dict:
    for event in history(aws, execution_arn):
        details = event.get("taskSubmittedEventDetails")
        if details and details.get("resourceType") == "batch":
            job_id = json.loads(details["output"])["JobId"]
            return aws.client("batch").describe_jobs(jobs=[job_id])["jobs"][0]
    raise AssertionError("no Batch job was submitted")


def test_execution_runs_lambda_and_six_child_array_job_to_success(embedded_aws):
    stack = build_stack(embedded_aws)
    execution = run_execution(embedded_aws, stack, size=6, behavior="ok")
    assert execution["status"] == "SUCCEEDED", execution
    output = json.loads(execution["output"])
    assert output["summary"] == {"status": "SUCCEEDED", "batch_status": "SUCCEEDED"}
    parent = _array_job(embedded_aws, execution["executionArn"])
    assert parent["status"] == "SUCCEEDED"
    assert parent["arrayProperties"]["size"] == 6
    assert parent["arrayProperties"]["statusSummary"]["SUCCEEDED"] == 6
    # The plan Lambda reached the embedded S3 through AWS_ENDPOINT_URL.
    listed = embedded_aws.client("s3").list_objects_v2(Bucket=stack.bucket, Prefix="plans/")
    assert listed["KeyCount"] == 1


def test_child_exiting_with_retryable_code_is_retried_and_run_succeeds(embedded_aws):
    stack = build_stack(embedded_aws)
    execution = run_execution(embedded_aws, stack, size=6, behavior="retry")
    assert execution["status"] == "SUCCEEDED", execution
    parent = _array_job(embedded_aws, execution["executionArn"])
    flaky = embedded_aws.client("batch").describe_jobs(jobs=[parent["jobId"] + ":3"])["jobs"][0]
    assert flaky["status"] == "SUCCEEDED"
    assert [attempt["container"]["exitCode"] for attempt in flaky["attempts"]] == [3, 0]
    # One CloudWatch log stream per attempt, each with that attempt's output.
    logs = embedded_aws.client("logs")
    streams = [attempt["container"]["logStreamName"] for attempt in flaky["attempts"]]
    messages = [
        [
            e["message"]
            for e in logs.get_log_events(logGroupName="/aws/batch/job", logStreamName=stream)[
                "events"
            ]
        ]
        for stream in streams
    ]
    assert messages == [["child 3 is flaky"], ["child 3 attempt 2 ok"]]


def test_child_failing_for_good_fails_parent_and_execution_with_reason(embedded_aws):
    stack = build_stack(embedded_aws)
    execution = run_execution(embedded_aws, stack, size=6, behavior="fail")
    assert execution["status"] == "FAILED", execution
    parent = _array_job(embedded_aws, execution["executionArn"])
    assert parent["status"] == "FAILED"
    assert parent["arrayProperties"]["statusSummary"]["FAILED"] == 1
    assert parent["arrayProperties"]["statusSummary"]["SUCCEEDED"] == 5
    assert "child 4" in parent["statusReason"]
    broken = embedded_aws.client("batch").describe_jobs(jobs=[parent["jobId"] + ":4"])["jobs"][0]
    assert broken["status"] == "FAILED"
    assert broken["container"]["exitCode"] == 7
    assert len(broken["attempts"]) == 1  # evaluateOnExit said EXIT for code 7
    events = history(embedded_aws, execution["executionArn"])
    failed = [e["taskFailedEventDetails"] for e in events if e["type"] == "TaskFailed"]
    assert failed and failed[0]["error"] == "States.TaskFailed"
    assert "child 4" in json.loads(failed[0]["cause"])["StatusReason"]
    kinds = [e["type"] for e in events]
    assert kinds[-1] == "ExecutionFailed"
    # The Catch ran the failure Lambda and published to SNS before failing.
    scheduled = [
        e["taskScheduledEventDetails"]["resourceType"]
        for e in events
        if e["type"] == "TaskScheduled"
    ]
    assert scheduled == ["lambda", "batch", "lambda", "sns"]
