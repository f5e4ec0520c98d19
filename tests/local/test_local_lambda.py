"""Local Lambda compute: the zip's handler runs in a subprocess, with logs and a timeout."""

from __future__ import annotations

import base64
import io
import json
import uuid
import zipfile

import pytest

from bgtasks.local.testing import RunningAws

SOURCE = """
import os
import time


def handler(event, context):
    if event.get("fail"):
        raise RuntimeError("asked to fail")
    if event.get("sleep"):
        time.sleep(event["sleep"])
    print("handling", event.get("n"))
    return {
        "n": event.get("n"),
        "greeting": os.environ["GREETING"],
        "endpoint": os.environ["AWS_ENDPOINT_URL"],
        "request_id": context.aws_request_id,
        "remaining_ms": context.get_remaining_time_in_millis(),
    }
"""


def _function(aws: RunningAws, timeout: int = 10) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app/__init__.py", "")
        archive.writestr("app/main.py", SOURCE)
    name = f"lambda-test-{uuid.uuid4().hex[:6]}"
    role = aws.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]
    aws.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=role["Arn"],
        Handler="app.main.handler",
        Code={"ZipFile": buffer.getvalue()},
        Timeout=timeout,
        Environment={"Variables": {"GREETING": "hello"}},
    )
    return name


def _invoke(aws: RunningAws, name: str, event: dict) -> dict:
    response: dict = aws.client("lambda").invoke(
        FunctionName=name, Payload=json.dumps(event).encode(), LogType="Tail"
    )
    response["body"] = json.loads(response["Payload"].read())
    return response


def test_handler_runs_with_function_environment_and_endpoint(embedded_aws):
    name = _function(embedded_aws)
    response = _invoke(embedded_aws, name, {"n": 1})
    assert "FunctionError" not in response
    body = response["body"]
    assert body["n"] == 1 and body["greeting"] == "hello"
    assert body["endpoint"] == embedded_aws.endpoint
    assert 0 < body["remaining_ms"] <= 10_000
    tail = base64.b64decode(response["LogResult"]).decode()
    assert f"START RequestId: {body['request_id']}" in tail
    assert "handling 1" in tail and "REPORT RequestId" in tail


def test_handler_error_is_a_function_error_with_lambda_shape(embedded_aws):
    name = _function(embedded_aws)
    response = _invoke(embedded_aws, name, {"fail": True})
    assert response["FunctionError"]
    assert response["body"]["errorType"] == "RuntimeError"
    assert response["body"]["errorMessage"] == "asked to fail"


def test_timeout_is_enforced(embedded_aws):
    name = _function(embedded_aws, timeout=1)
    response = _invoke(embedded_aws, name, {"sleep": 5})
    assert response["FunctionError"]
    assert "Task timed out after 1.00 seconds" in response["body"]["errorMessage"]


def test_each_invocation_writes_start_end_report_to_cloudwatch(embedded_aws):
    name = _function(embedded_aws)
    _invoke(embedded_aws, name, {"n": 7})
    logs = embedded_aws.client("logs")
    group = f"/aws/lambda/{name}"
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert len(streams) == 1
    messages = [
        e["message"]
        for e in logs.get_log_events(logGroupName=group, logStreamName=streams[0]["logStreamName"])[
            "events"
        ]
    ]
    assert messages[0].startswith("START RequestId:")
    assert "handling 7" in messages
    assert messages[-2].startswith("END RequestId:")
    assert messages[-1].startswith("REPORT RequestId:")


def test_code_is_unzipped_once_per_code_hash(embedded_aws):
    name = _function(embedded_aws)
    _invoke(embedded_aws, name, {"n": 1})
    _invoke(embedded_aws, name, {"n": 2})
    if embedded_aws.state_dir is None:
        pytest.skip("the code cache belongs to an embedded AWS this session started")
    sha = embedded_aws.client("lambda").get_function(FunctionName=name)["Configuration"][
        "CodeSha256"
    ]
    safe = "".join(c if c.isalnum() else "_" for c in sha)
    cache = embedded_aws.state_dir / "lambda-code"
    assert (cache / safe / "app" / "main.py").is_file()
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no staging left over


def test_non_python_runtime_is_a_clear_function_error(embedded_aws):
    role = embedded_aws.client("iam").create_role(RoleName="node-fn", AssumeRolePolicyDocument="{}")
    embedded_aws.client("lambda").create_function(
        FunctionName="node-fn",
        Runtime="nodejs20.x",
        Role=role["Role"]["Arn"],
        Handler="index.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    )
    response = _invoke(embedded_aws, "node-fn", {})
    assert response["FunctionError"]
    assert "Python zip functions only, not nodejs20.x" in response["body"]["errorMessage"]
