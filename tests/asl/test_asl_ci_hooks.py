"""The CI wiring users copy: the pre-commit hook and the GitHub Actions workflow, run for real
(the hook's entry and the workflow's validation script, on this machine)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from asl_helpers import CORPUS, REPO, STATEMACHINES

BAD = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}'


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def python_env() -> dict[str, str]:
    """PATH with this interpreter's `python` first, as after `pip install` in a hook or a job."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def test_pre_commit_hook_runs_the_validator_on_asl_files(tmp_path: Path) -> None:
    (hook,) = load(REPO / ".pre-commit-hooks.yaml")
    assert hook["id"] == "bgtasks-validate-asl"
    assert hook["language"] == "python"
    assert "jsonata-python==0.7.1" in hook["additional_dependencies"]
    pattern = re.compile(hook["files"])
    ours = sorted(str(p.relative_to(REPO)) for p in STATEMACHINES.glob("*.json"))
    assert all(pattern.search(name) for name in ours)
    assert not pattern.search("statemachines/schema/asl.schema.json")
    assert not pattern.search("schemas/chunk.schema.json")
    entry = hook["entry"].split()
    assert entry[0] == "python"
    command = [sys.executable, *entry[1:]]
    good = subprocess.run([*command, *ours], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert (good.returncode, good.stdout) == (0, "")
    bad_file = tmp_path / "bad.asl.json"
    bad_file.write_text(BAD, encoding="utf-8")
    bad = subprocess.run([*command, str(bad_file)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stdout.startswith(f"{bad_file}: /States/A/Next: ")


def test_this_repository_pre_commit_config_checks_the_state_machines() -> None:
    hooks = {hook["id"]: hook for repo in load(REPO / ".pre-commit-config.yaml")["repos"]
             for hook in repo["hooks"]}  # fmt: skip
    asl = hooks["bgtasks-validate-asl"]
    assert asl["entry"] == ".venv/bin/python -m bgtasks.asl"
    assert re.search(asl["files"], "statemachines/background-task.asl.json")


def _validate_script() -> str:
    workflow = load(REPO / ".github" / "workflows" / "validate-asl.yml")
    steps = workflow["jobs"]["validate"]["steps"]
    (step,) = [step for step in steps if step.get("name") == "Validate"]
    script: str = step["run"]
    return script


def test_workflow_script_passes_our_state_machines(tmp_path: Path) -> None:
    shutil.copytree(STATEMACHINES, tmp_path / "statemachines")
    env = {**python_env(), "FILES": "statemachines/*.asl.json", "VARS": "task_name=demo"}
    result = subprocess.run(
        ["bash", "-e", "-c", _validate_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_script_annotates_each_problem_and_fails(tmp_path: Path) -> None:
    (tmp_path / "bad.asl.json").write_text(BAD, encoding="utf-8")
    env = {**python_env(), "FILES": "*.asl.json", "VARS": ""}
    result = subprocess.run(
        ["bash", "-e", "-c", _validate_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "::error file=bad.asl.json::/States/A/Next: transition to a state" in result.stdout


def test_workflow_script_fails_when_no_file_matches(tmp_path: Path) -> None:
    env = {**python_env(), "FILES": "nothing/*.json", "VARS": ""}
    result = subprocess.run(
        ["bash", "-e", "-c", _validate_script()], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "::error::no file matches" in result.stdout


def test_ci_workflow_runs_the_whole_suite_and_the_asl_check() -> None:
    workflow = load(REPO / ".github" / "workflows" / "ci.yml")
    runs = [step.get("run") for step in workflow["jobs"]["test"]["steps"]]
    assert ".ci/run" in runs
    assert workflow["jobs"]["asl"]["uses"] == "./.github/workflows/validate-asl.yml"
    assert (REPO / ".ci" / "run").is_file()
    assert CORPUS.name == "asl-corpus"
