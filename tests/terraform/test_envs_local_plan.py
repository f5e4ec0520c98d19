"""envs/local applies on the embedded AWS and a second plan shows no change (no perpetual diff:
the resources read back exactly as configured)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfrun import TerraformRun, actions_by_address

from bgtasks.local.testing import RunningAws

LOCAL_ENV = Path(__file__).resolve().parents[2] / "envs" / "local"


@pytest.fixture(scope="module")
def applied_local(
    embedded_aws: RunningAws, tmp_path_factory: pytest.TempPathFactory
) -> TerraformRun:
    tf = TerraformRun(LOCAL_ENV, tmp_path_factory.mktemp("envs-local-plan"), embedded_aws.env())
    tf.init()
    tf.apply(f"-var=endpoint={embedded_aws.endpoint}")
    # No destroy: the embedded AWS of this test session goes away with everything in it.
    return tf


def test_second_plan_of_envs_local_shows_no_changes(
    applied_local: TerraformRun, embedded_aws: RunningAws
) -> None:
    code, plan = applied_local.plan_json(f"-var=endpoint={embedded_aws.endpoint}")
    changed = {a: x for a, x in actions_by_address(plan).items() if x not in (["no-op"], ["read"])}
    assert code == 0 and changed == {}


def test_envs_local_outputs_what_the_demo_and_the_cli_need(applied_local: TerraformRun) -> None:
    outputs = applied_local.outputs()
    assert set(outputs["state_machine_arns"]) == {"thumbnails", "sitemap"}
    assert outputs["state_machine_arns"]["thumbnails"].endswith(
        ":stateMachine:bgtasks-local-thumbnails"
    )
    assert outputs["runs_buckets"] == {
        "thumbnails": "bgtasks-local-thumbnails-runs",
        "sitemap": "bgtasks-local-sitemap-runs",
    }
    assert outputs["tenant_manifest"] == "s3://bgtasks-local-config/tenants.json"
    assert outputs["tenant_bucket"] == "bgtasks-local-tenants"
    assert outputs["job_queue_arn"].endswith(":job-queue/bgtasks-local-main")
    assert set(outputs["failure_topic_arns"]) == {"thumbnails", "sitemap"}
