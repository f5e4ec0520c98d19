"""The demo's progress line: a bar over the array children and the per-status counts."""

from __future__ import annotations

import io

from bgtasks.demo.progress import ProgressPrinter, Snapshot, render_line


def test_the_bar_fills_with_finished_children_and_shows_every_status() -> None:
    snapshot = Snapshot(
        execution_status="RUNNING",
        state="RunArrayJob",
        size=6,
        counts={"RUNNABLE": 1, "RUNNING": 2, "SUCCEEDED": 2, "FAILED": 1},
    )

    line = render_line(snapshot, elapsed=3.25)

    assert line.startswith("[" + "#" * 12 + "." * 12 + "] 3/6 chunks")
    for part in ("runnable=1", "starting=0", "running=2", "succeeded=2", "failed=1"):
        assert part in line
    assert "RunArrayJob" in line and line.endswith("3.2s")


def test_before_the_plan_the_line_says_planning() -> None:
    line = render_line(Snapshot("RUNNING", "Plan", size=None), elapsed=0.1)

    assert "planning" in line and "[" + "." * 24 + "]" in line


def test_in_a_log_only_changes_are_printed() -> None:
    out = io.StringIO()
    printer = ProgressPrinter(out, interactive=False)
    running = Snapshot("RUNNING", "RunArrayJob", 2, {"RUNNING": 2})
    printer.show(running)
    printer.show(running)
    printer.show(Snapshot("RUNNING", "RunArrayJob", 2, {"RUNNING": 1, "SUCCEEDED": 1}))
    printer.finish()

    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "1/2 chunks" in lines[1]


def test_on_a_terminal_the_line_is_redrawn_in_place() -> None:
    out = io.StringIO()
    printer = ProgressPrinter(out, interactive=True)
    printer.show(Snapshot("RUNNING", "Plan", None))
    printer.show(Snapshot("RUNNING", "Plan", None))
    printer.finish()

    assert out.getvalue().count("\r") == 2 and out.getvalue().count("\n") == 1
