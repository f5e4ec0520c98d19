"""The worker image's recipe: complete exact pins, in step with the venv, non-root, same entry."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER = REPO_ROOT / "worker"


def image_pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (WORKER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line!r}"
            pins[canonical(name)] = version
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_image_pins_are_the_versions_the_tests_run_with() -> None:
    for name, version in image_pins().items():
        assert metadata.version(name) == version, name


def test_image_pins_are_complete_so_no_deps_installs_everything() -> None:
    pins = image_pins()
    for name in pins:
        for raw in metadata.requires(name) or []:
            requirement = Requirement(raw)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            assert canonical(requirement.name) in pins, f"{name} needs {requirement.name}"


def test_what_the_worker_imports_is_pinned() -> None:
    pins = image_pins()
    for distribution in ("boto3", "jsonschema", "pillow", "pyvips", "pyvips-binary"):
        assert distribution in pins


def test_dockerfile_is_slim_non_root_and_runs_the_same_entry_point() -> None:
    dockerfile = (WORKER / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", dockerfile, re.M)
    assert base is not None and "-slim" in base[1] and not base[1].endswith(":latest")
    assert re.search(r"^USER [1-9]\d*(:\d+)?$", dockerfile, re.M)
    assert '\nENTRYPOINT ["python", "-m", "worker"]' in dockerfile
    assert "--no-deps" in dockerfile and "-r worker/requirements.txt" in dockerfile
    for copied in ("COPY schemas/ schemas/", "COPY worker/ worker/"):
        assert copied in dockerfile


def test_help_and_stray_arguments() -> None:
    run = [sys.executable, "-m", "worker"]
    shown = subprocess.run([*run, "--help"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert shown.returncode == 0 and "BGTASKS_CHUNKS_URI" in shown.stdout
    stray = subprocess.run([*run, "python"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert stray.returncode == 2
    assert stray.stderr.splitlines() == [
        "worker: takes no arguments (settings come from the environment): ['python']"
    ]


def test_the_build_tool_installed_first_is_the_pinned_one() -> None:
    dockerfile = (WORKER / "Dockerfile").read_text()
    first = re.search(r"pip install --no-deps (setuptools==\S+)", dockerfile)
    assert first is not None
    assert first[1] == f"setuptools=={image_pins()['setuptools']}"
