"""Run the real `terraform` binary on a copy of a stack, against an embedded AWS."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bgtasks.local.testing import RunningAws
from bgtasks.terraform_env import terraform_env


@dataclass
class Terraform:
    workdir: Path
    env: dict[str, str]
    variables: dict[str, str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        var_args = [f"-var={name}={value}" for name, value in self.variables.items()]
        needs_vars = args[0] in ("apply", "plan", "destroy")
        command = [
            "terraform",
            *args,
            "-input=false",
            "-no-color",
            *(var_args if needs_vars else []),
        ]
        completed = subprocess.run(
            command, cwd=self.workdir, env=self.env, capture_output=True, text=True, check=False
        )
        if check and completed.returncode != 0:
            raise AssertionError(
                f"{' '.join(command[:2])} failed ({completed.returncode}):\n"
                f"{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
            )
        return completed

    def init(self) -> None:
        self.run("init")

    def apply(self) -> None:
        self.run("apply", "-auto-approve")

    def plan_exit_code(self) -> tuple[int, str]:
        completed = self.run("plan", "-detailed-exitcode", check=False)
        return completed.returncode, completed.stdout + completed.stderr

    def destroy(self) -> None:
        self.run("destroy", "-auto-approve")


def terraform_for(
    source: Path, scratch: Path, aws: RunningAws, variables: dict[str, str]
) -> Terraform:
    """A copy of `source` in `scratch` (no state or .terraform from the source tree)."""
    workdir = scratch / source.name
    shutil.copytree(
        source,
        workdir,
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.lock.hcl"),
    )
    return Terraform(workdir, terraform_env(aws.env()), variables)
