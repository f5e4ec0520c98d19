"""One applied `envs/local` per test session, on an embedded AWS of its own (free port).

Terratest's shape: init and apply once into a temporary state, let the tests assert on the real
resources and run executions, destroy at the end (and check that it removed the stack). A cold
apply takes over a minute, so every test of tests/e2e shares this one.
`BGTASKS_TEST_ENDPOINT` points the session at a server already running (LocalStack, `make up`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from e2e_support import AppliedStack

from bgtasks.demo.stack import LOCAL_ENV_DIR, StackOutputs, local_stack
from bgtasks.local.settings import DEFAULT_REGION, FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY
from bgtasks.local.testing import RunningAws, embedded_aws_fixture
from bgtasks.ops.aws import AwsClients

embedded_aws = embedded_aws_fixture()


@pytest.fixture(scope="session")
def applied_stack(
    embedded_aws: RunningAws, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppliedStack]:
    if not (LOCAL_ENV_DIR / "main.tf").exists():
        pytest.fail(f"{LOCAL_ENV_DIR} has no main.tf: envs/local is not there yet")
    work: Path = tmp_path_factory.mktemp("envs-local")
    stack = local_stack(embedded_aws.endpoint, work, base_env=embedded_aws.env())
    stack.init()
    stack.apply()
    session = boto3.Session(
        aws_access_key_id=FAKE_ACCESS_KEY_ID,
        aws_secret_access_key=FAKE_SECRET_ACCESS_KEY,
        region_name=DEFAULT_REGION,
    )
    clients = AwsClients.from_session(session, embedded_aws.endpoint)
    outputs = StackOutputs.from_terraform(stack.outputs())
    applied = AppliedStack(outputs, clients, embedded_aws.endpoint)
    yield applied
    stack.destroy()
    assert stack.outputs() == {}, "destroy left outputs behind"
    machines = clients.stepfunctions.list_state_machines()["stateMachines"]
    leftover = [m["name"] for m in machines if m["name"].startswith("bgtasks-local-")]
    assert leftover == [], f"destroy left state machines: {leftover}"
