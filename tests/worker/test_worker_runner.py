"""The runner's own promises: one stderr line whatever the error, and clean failure texts."""

from __future__ import annotations

from typing import Any

import pytest
from worker_fixtures import (
    RUN_ID,
    RUNS_BUCKET,
    TENANT_BUCKET,
    get_json,
    run_worker_in_process,
    unit,
    write_run,
)

from worker import runner
from worker.errors import EXIT_INTERNAL, TransientError
from worker.outcome import UnitOutcome, one_line


def test_a_bug_is_one_line_and_the_internal_code(s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    write_run(s3, "thumbnails", [[unit("t1", ["images/a.jpg"])]])

    def broken(name: str) -> Any:
        raise KeyError("line one\nline two")

    monkeypatch.setattr(runner, "load_task", broken)
    run = run_worker_in_process()
    assert run.code == EXIT_INTERNAL
    assert run.stderr == "worker: internal error: KeyError: 'line one\\nline two'\n"


def test_multi_line_errors_are_flattened(s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def trouble(*args: Any, **kwargs: Any) -> Any:
        raise TransientError("reading s3://b/k:\n  connection reset\n  by peer")

    monkeypatch.setattr(runner, "load_work", trouble)
    run = run_worker_in_process()
    assert run.stderr == "worker: reading s3://b/k: connection reset by peer\n"


def test_failure_texts_are_one_short_line_and_the_list_is_capped() -> None:
    outcome = UnitOutcome()
    for n in range(150):
        outcome.failed(f"item-{n}", "bad\n" + "x" * 1000)
    assert outcome.items_failed == 150
    assert len(outcome.failures) == 100
    assert all("\n" not in error and len(error) <= 300 for _, error in outcome.failures)
    assert one_line("a \n\t b", 10) == "a b"


def test_unreadable_image_failure_names_no_memory_address(s3: Any) -> None:
    s3.put_object(Bucket=TENANT_BUCKET, Key="images/x.jpg", Body=b"plain text")
    write_run(s3, "thumbnails", [[unit("t1", ["images/x.jpg"])]])
    run_worker_in_process(BGTASKS_MAX_FAILED_SHARE="1")
    tenant = get_json(s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/0.json")["tenants"][0]
    assert tenant["failures"] == [
        {"item": "images/x.jpg", "error": "not a readable image: unknown or damaged format"}
    ]
