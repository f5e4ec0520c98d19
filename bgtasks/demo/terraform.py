"""A thin wrapper over the `terraform` CLI, used by the demo and the Terratest-style tests.

Why not python-terraform (0.10.1, 2019)? It predates Terraform 1.x: `destroy()` passes the
removed `-force` flag, `output(name)` fails on 1.x's bare output, it can only pass the whole
process environment (we need a per-call `TF_DATA_DIR` and `TF_CLI_CONFIG_FILE`, so a test's
temporary state never touches the demo's), and it buffers output, so a failed apply shows
nothing until the end. Each of those would need a workaround at every call site; the four
commands we need take fewer lines here, with errors that say what failed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bgtasks.terraform_env import terraform_env

ERROR_TAIL_LINES = 25


class TerraformError(Exception):
    """A terraform command failed; the message carries the end of its output."""


class Terraform:
    """One root module with its own data dir, state file and variables."""

    def __init__(
        self,
        working_dir: Path,
        data_dir: Path,
        state_file: Path,
        variables: Mapping[str, str] | None = None,
        log_file: Path | None = None,
        base_env: Mapping[str, str] | None = None,
    ) -> None:
        self.working_dir = working_dir
        self.data_dir = data_dir
        self.state_file = state_file
        self.variables = dict(variables or {})
        self.log_file = log_file or data_dir / "terraform.log"
        self.env = terraform_env(dict(base_env) if base_env is not None else None)
        # Plugins and module copies go to our own data dir: several stacks of the same root
        # module (the demo's, a test session's) can coexist.
        self.env["TF_DATA_DIR"] = str(data_dir)

    def init(self) -> None:
        self._run("init", "-input=false", "-no-color")

    def apply(self) -> None:
        self._run("apply", "-input=false", "-no-color", "-auto-approve", *self._stack_args())

    def destroy(self) -> None:
        self._run("destroy", "-input=false", "-no-color", "-auto-approve", *self._stack_args())

    def outputs(self) -> dict[str, Any]:
        """Every output's value (`terraform output -json`)."""
        text = self._run("output", "-json", "-no-color", f"-state={self.state_file}")
        return {name: entry["value"] for name, entry in json.loads(text).items()}

    def _stack_args(self) -> list[str]:
        args = [f"-state={self.state_file}"]
        args.extend(f"-var={name}={value}" for name, value in sorted(self.variables.items()))
        return args

    def _run(self, *args: str) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = ["terraform", *args]
        try:
            completed = subprocess.run(
                command,
                cwd=self.working_dir,
                env=self.env,
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError as error:
            raise TerraformError("terraform is not installed (or not on PATH)") from error
        with self.log_file.open("a") as log:
            log.write(f"$ {' '.join(command)}  (in {self.working_dir})\n")
            log.write(completed.stdout)
            log.write(completed.stderr)
        if completed.returncode != 0:
            tail = "\n".join(completed.stderr.strip().splitlines()[-ERROR_TAIL_LINES:])
            raise TerraformError(f"terraform {args[0]} failed in {self.working_dir}:\n{tail}")
        return completed.stdout
