"""Embedded AWS figures: a 6-child execution end to end, and a no-change `terraform apply`.

Goals (issue 4): the execution in under 10 s; a second apply with no changes in under 20 s.
Prints figures; never fails on them (shared machines are noisy).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bgtasks.local.sample_stack import build_stack, lambda_zip, run_execution
from bgtasks.local.server import EmbeddedAws
from bgtasks.local.testing import RunningAws
from bgtasks.terraform_env import terraform_env

REPO_ROOT = Path(__file__).resolve().parent.parent
TF_STACK = REPO_ROOT / "tests" / "local" / "tf_stack"
EXECUTIONS = 3


def bench_executions(aws: RunningAws) -> None:
    stack = build_stack(aws, max_vcpus=6)
    seconds: list[float] = []
    for _ in range(EXECUTIONS):
        started = time.perf_counter()
        execution = run_execution(aws, stack, size=6, behavior="ok")
        seconds.append(time.perf_counter() - started)
        assert execution["status"] == "SUCCEEDED", execution
    print(
        f"6-child execution (Lambda, submitJob.sync array, summary Lambda), maxvCpus 6: "
        f"min {min(seconds):.1f} s, median {statistics.median(seconds):.1f} s "
        f"over {EXECUTIONS} (goal < 10 s)"
    )
    stack_2 = build_stack(aws, max_vcpus=2)
    started = time.perf_counter()
    run_execution(aws, stack_2, size=6, behavior="ok")
    print(f"6-child execution, maxvCpus 2 (3 waves of 2): {time.perf_counter() - started:.1f} s")


def bench_large_array(aws: RunningAws, size: int = 200) -> None:
    """Scheduling overhead: `size` trivial children through one execution, maxvCpus 16."""
    stack = build_stack(aws, max_vcpus=16)
    started = time.perf_counter()
    execution = run_execution(aws, stack, size=size, behavior="ok", timeout=600)
    elapsed = time.perf_counter() - started
    print(
        f"{size}-child execution, maxvCpus 16 ({execution['status']}): {elapsed:.1f} s, "
        f"{elapsed / size * 1000:.0f} ms per child"
    )


def _terraform(workdir: Path, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["terraform", *args, "-input=false", "-no-color"],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started


def bench_terraform(aws: RunningAws, scratch: Path) -> None:
    workdir = scratch / "tf_stack"
    shutil.copytree(TF_STACK, workdir, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    (scratch / "fn.zip").write_bytes(lambda_zip())
    env = terraform_env(aws.env())
    variables = [
        f"-var=endpoint={aws.endpoint}",
        f"-var=lambda_zip={scratch / 'fn.zip'}",
        "-var=name=bench",
    ]
    _terraform(workdir, env, "init")
    cold = _terraform(workdir, env, "apply", "-auto-approve", *variables)
    warm = _terraform(workdir, env, "apply", "-auto-approve", *variables)
    plan = _terraform(workdir, env, "plan", "-detailed-exitcode", *variables)
    destroy = _terraform(workdir, env, "destroy", "-auto-approve", *variables)
    print(
        f"terraform tests/local/tf_stack (27 resources): cold apply {cold:.1f} s, "
        f"second apply with no changes {warm:.1f} s (goal < 20 s), plan {plan:.1f} s, "
        f"destroy {destroy:.1f} s"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-local-") as scratch:
        started = time.perf_counter()
        server = EmbeddedAws(Path(scratch) / "state").start()
        print(
            f"embedded AWS start (subprocess, until it answers): "
            f"{time.perf_counter() - started:.1f} s"
        )
        try:
            aws = RunningAws(server.endpoint, server.settings.state_dir)
            bench_executions(aws)
            bench_large_array(aws)
            bench_terraform(aws, Path(scratch))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
