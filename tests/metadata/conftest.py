"""Fixtures for the metadata function: moto in-process AWS, a fake Lambda context and the
function's environment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from metadata_helpers import (
    MANIFEST_BUCKET,
    MANIFEST_KEY,
    RUNS_BUCKET,
    FakeLambdaContext,
    create_bucket,
)
from moto import mock_aws


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """moto in-process, with credentials that can reach nothing real; yields an S3 client."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        for bucket in (RUNS_BUCKET, MANIFEST_BUCKET):
            create_bucket(s3, bucket)
        yield s3


@pytest.fixture
def function_env(monkeypatch: pytest.MonkeyPatch, aws: Any) -> Callable[..., None]:
    """Set the function's environment (docs/interfaces.md); keywords override the defaults."""

    def configure(**overrides: str) -> None:
        values = {
            "BGTASKS_RUNS_BUCKET": RUNS_BUCKET,
            "BGTASKS_TENANT_SOURCE": f"s3://{MANIFEST_BUCKET}/{MANIFEST_KEY}",
            "BGTASKS_TASK": "thumbnails",
            "BGTASKS_MAX_CHUNKS": "100",
            "BGTASKS_STARTUP_COST": "0",
            "BGTASKS_ALLOWED_BUCKETS": "",
            "BGTASKS_WORKERS": "",
        }
        values.update(overrides)
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    configure()
    return configure
