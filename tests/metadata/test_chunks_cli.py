"""`bgtasks chunks plan` through the installed command (DESIGN.md §4)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

BGTASKS = Path(sys.executable).parent / "bgtasks"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BGTASKS), "chunks", "plan", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
    )


def write_tenants(tmp_path: Path, tenants: Any) -> str:
    path = tmp_path / "tenants.json"
    path.write_text(json.dumps(tenants))
    return str(path)


def test_plan_prints_chunks_in_index_order_with_counts(tmp_path: Path) -> None:
    tenants = [
        {"tenant_id": "big", "items": 1000},
        {"tenant_id": "keys", "items": ["a.jpg", "b.jpg", "c.jpg"]},
        {"tenant_id": "empty", "items": 0},
        {"tenant_id": "mid", "items": 200},
    ]
    result = run_cli(
        "--tenants",
        write_tenants(tmp_path, tenants),
        "--chunks",
        "10",
        "--workers",
        "4",
        "--startup-cost",
        "5",
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert set(plan) == {"chunks", "makespan", "lower_bound"}
    assert [chunk["index"] for chunk in plan["chunks"]] == list(range(len(plan["chunks"])))
    assert len(plan["chunks"]) == 4
    per_tenant: dict[str, int] = {}
    for chunk in plan["chunks"]:
        assert set(chunk) == {"index", "items", "tenants"}
        assert chunk["items"] == sum(t["items"] for t in chunk["tenants"]) > 0
        for tenant in chunk["tenants"]:
            assert set(tenant) == {"tenant_id", "items"}
            per_tenant[tenant["tenant_id"]] = (
                per_tenant.get(tenant["tenant_id"], 0) + tenant["items"]
            )
    assert per_tenant == {"big": 1000, "keys": 3, "mid": 200}
    assert plan["lower_bound"] == (1203 / 4) + 5
    assert plan["lower_bound"] <= plan["makespan"] <= plan["lower_bound"] * 1.01
    items = [chunk["items"] for chunk in plan["chunks"]]
    assert items == sorted(items, reverse=True)


def test_plan_matches_the_lambda_code_path(tmp_path: Path) -> None:
    from metadata_fn.planning import plan_chunks

    from bgtasks.commands.chunks import parse_workloads, plan_to_json

    tenants = [{"tenant_id": f"t{n}", "items": 7 * n + 1} for n in range(40)]
    result = run_cli("--tenants", write_tenants(tmp_path, tenants), "--chunks", "6")
    workloads = parse_workloads(tenants, None)
    expected = plan_to_json(plan_chunks(workloads, 6), workloads)
    assert json.loads(result.stdout) == expected


def test_task_option_keeps_sitemap_tenants_whole(tmp_path: Path) -> None:
    tenants = [{"tenant_id": "a", "items": 9000}, {"tenant_id": "b", "items": 10}]
    result = run_cli(
        "--tenants", write_tenants(tmp_path, tenants), "--chunks", "8", "--task", "sitemap"
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert [c["tenants"] for c in plan["chunks"]] == [
        [{"tenant_id": "a", "items": 9000}],
        [{"tenant_id": "b", "items": 10}],
    ]
    assert plan["lower_bound"] == 9.0  # 9000 URLs at 0.001 each


def test_plan_reads_stdin() -> None:
    result = run_cli("--tenants", "-", "--chunks", "2", stdin='[{"tenant_id": "a", "items": 4}]')
    assert result.returncode == 0, result.stderr
    assert [c["items"] for c in json.loads(result.stdout)["chunks"]] == [2, 2]


def test_help_exits_zero() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "--startup-cost" in result.stdout


def assert_usage_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    good = write_tenants(tmp_path, [{"tenant_id": "a", "items": 1}])
    assert_usage_error(run_cli("--tenants", good, "--chunks", "0"), "1..10000")
    assert_usage_error(run_cli("--tenants", good, "--chunks", "10001"), "1..10000")
    assert_usage_error(run_cli("--tenants", good, "--chunks", "x"), "not an integer")
    assert_usage_error(run_cli("--tenants", good, "--chunks", "2", "--workers", "0"), "--workers")
    assert_usage_error(
        run_cli("--tenants", good, "--chunks", "2", "--startup-cost", "-1"), "--startup-cost"
    )
    assert_usage_error(run_cli("--chunks", "2"), "--tenants")


def test_bad_tenants_files_exit_2_with_one_line(tmp_path: Path) -> None:
    cases = {
        "missing": (None, "No such file"),
        "not-json": ("{oops", "not valid JSON"),
        "not-list": ('{"tenant_id": "a"}', "expected a JSON list"),
        "no-id": ('[{"items": 3}]', "tenant_id"),
        "bad-items": ('[{"tenant_id": "a", "items": -2}]', "items must be"),
        "bool-items": ('[{"tenant_id": "a", "items": true}]', "items must be"),
        "duplicate": ('[{"tenant_id": "a", "items": 1}, {"tenant_id": "a", "items": 2}]', "twice"),
    }
    for name, (text, needle) in cases.items():
        path = tmp_path / f"{name}.json"
        if text is not None:
            path.write_text(text)
        result = run_cli("--tenants", str(path), "--chunks", "3")
        assert_usage_error(result, needle)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
