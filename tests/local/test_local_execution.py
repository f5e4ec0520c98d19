"""End to end on the embedded AWS: a state machine runs a Lambda and a 6-child array job."""

from __future__ import annotations

import json

from local_stack import build_stack, history, run_execution

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
