"""Helpers for tests (ours and other parts'): one embedded AWS per test session, clients for it.

In a conftest.py:

    from bgtasks.local.testing import embedded_aws_fixture
    embedded_aws = embedded_aws_fixture()          # session-scoped, started once

and in a test: `def test_x(embedded_aws): client = embedded_aws.client("batch")`.
`BGTASKS_TEST_ENDPOINT=http://127.0.0.1:4566` reuses a server that is already running
(e.g. `make up`, or a real LocalStack) instead of starting one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from bgtasks.local.server import EmbeddedAws
from bgtasks.local.settings import DEFAULT_REGION, FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY

_CLIENT_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"}, read_timeout=120)


class RunningAws:
    """An embedded AWS a test can talk to: its endpoint, state directory and clients."""

    def __init__(self, endpoint: str, state_dir: Path | None) -> None:
        self.endpoint = endpoint
        self.state_dir = state_dir

    def client(self, service: str, region: str = DEFAULT_REGION) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=FAKE_ACCESS_KEY_ID,
            aws_secret_access_key=FAKE_SECRET_ACCESS_KEY,
            config=_CLIENT_CONFIG,
        )

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for a process (terraform, the AWS CLI) that should use this server."""
        env = dict(os.environ if base is None else base)
        env.update(
            {
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_ACCESS_KEY,
                "AWS_DEFAULT_REGION": DEFAULT_REGION,
                "AWS_REGION": DEFAULT_REGION,
            }
        )
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            env.pop(name, None)
        return env


def running_embedded_aws() -> Iterator[RunningAws]:
    """Yield a running embedded AWS (started here unless BGTASKS_TEST_ENDPOINT names one)."""
    existing = os.environ.get("BGTASKS_TEST_ENDPOINT")
    if existing:
        yield RunningAws(existing.rstrip("/"), None)
        return
    with tempfile.TemporaryDirectory(prefix="bgtasks-embedded-aws-") as state:
        server = EmbeddedAws(Path(state))
        server.start()
        try:
            yield RunningAws(server.endpoint, server.settings.state_dir)
        finally:
            server.stop()


def embedded_aws_fixture() -> Any:
    """A session-scoped pytest fixture named after the variable it is assigned to."""
    import pytest

    @pytest.fixture(scope="session")
    def embedded_aws() -> Iterator[RunningAws]:
        yield from running_embedded_aws()

    return embedded_aws
