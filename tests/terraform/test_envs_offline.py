"""dev and prod with their own tfvars, offline (mock provider): Spot only with schedules off in
dev, Spot then On-Demand with schedules on in prod; both validate."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfrun import TerraformRun

ENVS = Path(__file__).resolve().parents[2] / "envs"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_env_terraform_tests_pass_with_its_tfvars(env: str, tmp_path: Path) -> None:
    tf = TerraformRun(ENVS / env, tmp_path)
    tf.init()
    tf.run("validate", "-no-color")
    tested = tf.run("test", "-no-color", f"-var-file={env}.tfvars")
    assert "0 failed" in tested.stdout and "0 passed" not in tested.stdout
