"""boto3 clients for the operator CLI, resolved the standard way.

boto3 already honours `AWS_ENDPOINT_URL` (and the per-service `AWS_ENDPOINT_URL_<SERVICE>`), the
region chain and the credential chain. We add only an explicit `--endpoint-url`/`--region`, and a
`local` shortcut for the embedded AWS on 127.0.0.1:4566, which accepts any credentials.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

LOCAL_ENDPOINT = "http://127.0.0.1:4566"
LOCAL_REGION = "us-east-1"
# The embedded AWS (moto) accepts any key; these are the names LocalStack documents too.
LOCAL_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}

# Operators want an answer, not minutes of retries against an endpoint that is down.
_CLIENT_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5)


class ConfigurationError(Exception):
    """AWS access is not configured well enough to make a call (no region, and so on)."""


@dataclass(frozen=True)
class AwsSettings:
    """Where to send requests: None means "let boto3 resolve it"."""

    endpoint_url: str | None = None
    region: str | None = None
    local: bool = False


@dataclass
class AwsClients:
    """The clients the operator commands need, from one session."""

    stepfunctions: Any
    batch: Any
    s3: Any
    logs: Any
    lambda_: Any
    region: str

    @classmethod
    def from_session(cls, session: boto3.Session, endpoint_url: str | None) -> AwsClients:
        region = session.region_name
        if not region:
            raise ConfigurationError(
                "no AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION), or pass --region"
            )

        def client(service: str) -> Any:
            return session.client(service, endpoint_url=endpoint_url, config=_CLIENT_CONFIG)

        return cls(
            stepfunctions=client("stepfunctions"),
            batch=client("batch"),
            s3=client("s3"),
            logs=client("logs"),
            lambda_=client("lambda"),
            region=region,
        )


def make_clients(settings: AwsSettings) -> AwsClients:
    """Clients for `settings`; the `local` shortcut fills in what the embedded AWS needs."""
    endpoint_url = settings.endpoint_url
    region = settings.region
    session_kwargs: dict[str, str] = {}
    if settings.local:
        endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or LOCAL_ENDPOINT
        region = region or os.environ.get("AWS_REGION") or LOCAL_REGION
        if not os.environ.get("AWS_ACCESS_KEY_ID"):
            session_kwargs.update(LOCAL_CREDENTIALS)
    # botocore reads AWS_DEFAULT_REGION but not AWS_REGION, which the other AWS SDKs and the
    # CLI v2 use; honour both, AWS_REGION first as they do.
    region = region or os.environ.get("AWS_REGION") or None
    if region:
        session_kwargs["region_name"] = region
    session = boto3.Session(**session_kwargs)
    return AwsClients.from_session(session, endpoint_url)
