"""`bgtasks validate`: output contract of DESIGN.md §4, bad input, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from asl_helpers import BACKGROUND_TASK, CHAINED_STAGES, REPO

BGTASKS = [sys.executable, "-m", "bgtasks"]

VALID = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
TWO_PROBLEMS = json.dumps(
    {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Nowhere"}],
                "Default": "B",
            },
            "B": {"Type": "Pass", "ResultPath": "x", "End": True},
        },
    }
)


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BGTASKS, "validate", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_our_state_machines_are_valid() -> None:
    result = run(str(BACKGROUND_TASK), str(CHAINED_STAGES))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_one_line_per_problem_with_file_and_pointer(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.asl.json", TWO_PROBLEMS)
    result = run(path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        f"{path}: /States/A/Choices/0/Next: transition to a state that does not exist here: "
        "'Nowhere'"
    ) in lines
    assert f"{path}: /States/B/ResultPath: 'x' must start with $" in lines
    assert len(lines) == 2


def test_json_format_has_an_object_per_file(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", VALID)
    bad = write(tmp_path, "bad.json", TWO_PROBLEMS)
    result = run("--format", "json", good, bad)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [entry["file"] for entry in report] == [good, bad]
    assert report[0] == {"file": good, "valid": True, "problems": []}
    assert report[1]["valid"] is False
    assert {p["pointer"] for p in report[1]["problems"]} == {
        "/States/A/Choices/0/Next",
        "/States/B/ResultPath",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (
            '{"StartAt": "A", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}',
            "duplicate key 'StartAt'",
        ),
        ("[1, 2]", "top-level value must be an object, not an array"),
        ('"text"', "top-level value must be an object, not a string"),
        ("", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_1(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = write(tmp_path, "input.json", content)
    result = run(path)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert message in output
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_file_over_one_mebibyte_is_refused(tmp_path: Path) -> None:
    padding = "x" * (1024 * 1024)
    path = write(tmp_path, "huge.json", json.dumps({"Comment": padding, "StartAt": "A"}))
    result = run(path)
    assert result.returncode == 1
    assert "1 MiB" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_paths_are_errors_on_stderr(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.json")
    result = run(missing, str(tmp_path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"{missing}: : cannot read: no such file" in result.stderr
    assert f"{tmp_path}: : cannot read: is a directory" in result.stderr
    if os.geteuid() != 0:  # root reads anything: the permission case needs a normal user
        locked = write(tmp_path, "locked.json", VALID)
        os.chmod(locked, 0)
        assert "permission denied" in run(locked).stderr


def test_placeholders_are_accepted_and_var_substitutes_them(tmp_path: Path) -> None:
    definition = (
        '{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${fn}",'
        ' "TimeoutSeconds": ${timeout}, "End": true}}}'
    )
    path = write(tmp_path, "templated.json", definition)
    assert run(path).returncode == 0
    filled = run("--var", "fn=arn:aws:lambda:us-east-1:123456789012:function:f", "--var",
                 "timeout=0", path)  # fmt: skip
    assert filled.returncode == 1
    assert "/States/A/TimeoutSeconds: must be at least 1" in filled.stdout


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, "good.json", VALID)
    assert run().returncode == 2
    assert run("--format", "yaml", path).returncode == 2
    bad_var = run("--var", "no-equals-sign", path)
    assert bad_var.returncode == 2
    assert "--var must be NAME=VALUE" in bad_var.stderr


def test_help_describes_the_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "--format" in result.stdout and "--var" in result.stdout
