"""Run `terraform` on a root module with its own data dir and state, for these tests."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bgtasks.terraform_env import terraform_env


@dataclass
class TerraformRun:
    """One root module (`working_dir`) with its data dir and state under `work`."""

    working_dir: Path
    work: Path
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        self.env = terraform_env(self.env or None)
        self.env["TF_DATA_DIR"] = str(self.work / "data")

    @property
    def state(self) -> Path:
        return self.work / "terraform.tfstate"

    def run(self, *args: str, ok_codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            ["terraform", f"-chdir={self.working_dir}", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode not in ok_codes:
            raise AssertionError(
                f"terraform {' '.join(args)} exited {completed.returncode}:\n"
                f"{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
            )
        return completed

    def init(self) -> None:
        self.run("init", "-input=false", "-no-color", "-backend=false")

    def apply(self, *var_args: str) -> None:
        self.run(
            "apply", "-input=false", "-no-color", "-auto-approve", f"-state={self.state}", *var_args
        )

    def outputs(self) -> dict[str, Any]:
        """`terraform output -json`, as plain values."""
        shown = self.run("output", "-json", "-no-color", f"-state={self.state}")
        return {name: o["value"] for name, o in json.loads(shown.stdout).items()}

    def plan_json(self, *var_args: str) -> tuple[int, dict[str, Any]]:
        """Plan with -detailed-exitcode: exit code (0 no change, 2 changes) and plan JSON."""
        plan_file = self.work / "plan.out"
        planned = self.run(
            "plan",
            "-input=false",
            "-no-color",
            "-detailed-exitcode",
            f"-state={self.state}",
            f"-out={plan_file}",
            *var_args,
            ok_codes=(0, 2),
        )
        shown = self.run("show", "-json", "-no-color", str(plan_file))
        return planned.returncode, json.loads(shown.stdout)


def actions_by_address(plan: dict[str, Any]) -> dict[str, list[str]]:
    """Each resource's planned actions, e.g. {"module.x.aws_y.z[0]": ["update"]}."""
    return {c["address"]: c["change"]["actions"] for c in plan.get("resource_changes", [])}
