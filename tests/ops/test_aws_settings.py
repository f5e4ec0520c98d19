"""Where the operator commands send requests: boto3's resolution, plus AWS_REGION and --local."""

from __future__ import annotations

import pytest

from bgtasks.ops.aws import LOCAL_ENDPOINT, AwsSettings, ConfigurationError, make_clients


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "k")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")


def test_aws_region_is_honoured_like_the_other_sdks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")

    assert make_clients(AwsSettings()).region == "eu-west-1"


def test_aws_endpoint_url_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-2")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")

    clients = make_clients(AwsSettings())

    assert clients.batch.meta.endpoint_url == "http://127.0.0.1:9"


def test_local_means_the_embedded_aws_on_4566() -> None:
    clients = make_clients(AwsSettings(local=True))

    assert clients.stepfunctions.meta.endpoint_url == LOCAL_ENDPOINT
    assert clients.region == "us-east-1"


def test_no_region_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="no AWS region"):
        make_clients(AwsSettings())
