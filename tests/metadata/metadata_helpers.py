"""Helpers for the metadata function's tests: schema validators, tenants and their inputs in
moto's S3, a fake Lambda context. (Not named conftest: other test folders have their own.)"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
RUNS_BUCKET = "bgtasks-test-runs"
MANIFEST_BUCKET = "bgtasks-test-config"
MANIFEST_KEY = "tenants.json"


@dataclass
class FakeLambdaContext:
    """What the Lambda runtime passes as `context` (powertools-style test double)."""

    function_name: str = "bgtasks-test-thumbnails-metadata"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = (
        "arn:aws:lambda:eu-west-1:123456789012:function:bgtasks-test-thumbnails-metadata"
    )
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/bgtasks-test-thumbnails-metadata"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def create_bucket(s3: Any, bucket: str) -> None:
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})


def put_manifest(s3: Any, tenants: Any) -> None:
    body = tenants if isinstance(tenants, (str, bytes)) else json.dumps(tenants)
    s3.put_object(Bucket=MANIFEST_BUCKET, Key=MANIFEST_KEY, Body=body)


def put_images(s3: Any, bucket: str, prefix: str, count: int, start: int = 0) -> list[str]:
    """`count` small objects named like images (the planner never opens them)."""
    keys = [f"{prefix}images/img{number:05d}.jpg" for number in range(start, start + count)]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"\xff\xd8\xff")
    return keys


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(name: str, document: Any) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, f"{name}: {[(list(e.path), e.message) for e in errors]}"


def get_json(s3: Any, key: str, bucket: str = RUNS_BUCKET) -> Any:
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def log_lines(text: str) -> list[dict[str, Any]]:
    """Every stdout line parsed as JSON (fails on any line that is not)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]
