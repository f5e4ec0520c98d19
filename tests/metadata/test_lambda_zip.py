"""The metadata function's Lambda zip: deterministic, complete, and runnable on its own with
the standard library and boto3 only."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bgtasks.lambda_zip import FIXED_TIME, build_zip, main

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "functions" / "metadata"


def test_same_code_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b" / "b.zip"
    build_zip(SOURCE, first)
    # A stray bytecode cache must not leak into the zip or change its bytes.
    cache = SOURCE / "metadata_fn" / "__pycache__"
    cache.mkdir(exist_ok=True)
    build_zip(SOURCE, second)
    assert first.read_bytes() == second.read_bytes()


def test_zip_holds_the_package_and_schemas_sorted_with_fixed_times(tmp_path: Path) -> None:
    target = tmp_path / "fn.zip"
    count = build_zip(SOURCE, target)
    with zipfile.ZipFile(target) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert len(names) == count
    assert names == sorted(names)
    assert "metadata_fn/handler.py" in names and "metadata_fn/planning.py" in names
    expected_schemas = sorted(f"schemas/{p.name}" for p in (REPO / "schemas").glob("*.json"))
    assert [n for n in names if n.startswith("schemas/")] == expected_schemas
    assert all(n.endswith((".py", ".json")) and "__pycache__" not in n for n in names)
    assert {info.date_time for info in infos} == {FIXED_TIME}
    assert {info.external_attr >> 16 for info in infos} == {0o644}


def test_the_unzipped_handler_runs_with_stdlib_and_boto3_only(tmp_path: Path) -> None:
    target = tmp_path / "fn.zip"
    build_zip(SOURCE, target)
    code = tmp_path / "code"
    with zipfile.ZipFile(target) as archive:
        archive.extractall(code)
    probe = f"""
import json, sys
sys.path.insert(0, {str(code)!r})
import metadata_fn.handler as handler_module
assert handler_module.__file__.startswith({str(code)!r}), handler_module.__file__
allowed = set(sys.stdlib_module_names) | {{
    "boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six", "certifi",
    "metadata_fn", "_distutils_hack",
}}
# Dunder names are the interpreter's own (__main__) and the editable install's finder.
foreign = sorted({{m.split(".")[0] for m in sys.modules if not m.startswith("__")}} - allowed)
print(json.dumps(foreign))
try:
    handler_module.handler({{"mode": "nonsense", "run_id": "z1"}}, None)
except Exception as error:
    print(type(error).__name__)
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert json.loads(lines[0]) == [], "the function imports only the stdlib and boto3"
    log = json.loads(lines[1])
    assert (log["run_id"], log["error"]) == ("z1", "BadEventError")
    assert lines[2] == "BadEventError"


def test_bad_source_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path), str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no metadata_fn package" in err
    assert not (tmp_path / "x.zip").exists()
