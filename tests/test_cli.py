"""The `bgtasks` entry point: subcommand discovery and what a single command loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bgtasks.cli import command_modules

REPO = Path(__file__).resolve().parent.parent


def test_help_lists_every_subcommand_module() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "bgtasks", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for name in command_modules([]):
        assert f"    {name} " in shown


def test_a_named_command_loads_only_its_own_module() -> None:
    assert command_modules(["validate", "--format", "json", "x.json"]) == ["validate"]
    assert command_modules(["--version"]) == command_modules([])
    assert command_modules(["no-such-command"]) == command_modules([])


def test_validate_does_not_pay_for_boto3() -> None:
    # A pre-commit hook runs `bgtasks validate` on every commit: it must not import boto3.
    probe = (
        "import sys; from bgtasks.cli import main; "
        f"code = main(['validate', {str(REPO / 'statemachines' / 'background-task.asl.json')!r}]); "
        "print(code, 'boto3' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.split() == ["0", "False"], result.stderr


def test_unknown_command_is_bad_usage() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bgtasks", "no-such-command"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
