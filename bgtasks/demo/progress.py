"""Live progress of one execution: the current state, a bar, and the array children's counts.

On a terminal the line is redrawn in place; otherwise (CI logs, pipes) a line is printed only
when something changed, so logs stay short and readable.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from bgtasks.ops.batchjobs import status_counts
from bgtasks.ops.history import read_history

BAR_WIDTH = 24
SHOWN = ("RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")


@dataclass
class Snapshot:
    """What one poll saw."""

    execution_status: str
    state: str
    size: int | None
    counts: dict[str, int] = field(default_factory=dict)
    job_status: str | None = None

    @property
    def done_children(self) -> int:
        return self.counts.get("SUCCEEDED", 0) + self.counts.get("FAILED", 0)


def render_line(snapshot: Snapshot, elapsed: float) -> str:
    """`[#####.....] 3/6 chunks  runnable=0 ... failed=0  RunArrayJob  4.2s`."""
    size = snapshot.size or 0
    done = snapshot.done_children
    filled = round(BAR_WIDTH * done / size) if size else 0
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    counts = " ".join(f"{s.lower()}={snapshot.counts.get(s, 0)}" for s in SHOWN)
    chunks = f"{done}/{size} chunks" if size else "planning"
    return f"[{bar}] {chunks:<12} {counts}  {snapshot.state}  {elapsed:5.1f}s"


def take_snapshot(stepfunctions: Any, batch: Any, execution_arn: str) -> Snapshot:
    """Poll the execution, its history (state, plan, job id) and its array job's counts."""
    described = stepfunctions.describe_execution(executionArn=execution_arn)
    history = read_history(stepfunctions, execution_arn)
    plan = history.plan()
    state = history.states[-1].name if history.states else "starting"
    snapshot = Snapshot(
        execution_status=str(described["status"]),
        state=state,
        size=int(plan["size"]) if plan and "size" in plan else None,
    )
    if history.batch_job_ids:
        job_status, counts = status_counts(batch, history.batch_job_ids[0])
        snapshot.job_status = job_status
        # A plain job (one chunk) counts as a single child.
        snapshot.counts = counts if sum(counts.values()) else {job_status: 1}
    return snapshot


class ProgressPrinter:
    """Draws snapshots to `out`: in place on a terminal, on change otherwise."""

    def __init__(self, out: TextIO, interactive: bool) -> None:
        self.out = out
        self.interactive = interactive
        self.started = time.monotonic()
        self._last_plain: str | None = None

    def show(self, snapshot: Snapshot) -> None:
        elapsed = time.monotonic() - self.started
        line = render_line(snapshot, elapsed)
        if self.interactive:
            self.out.write("\r\033[K" + line)
            self.out.flush()
            return
        # Compare without the clock, so an unchanged picture is not printed again.
        plain = line.rsplit("  ", 1)[0]
        if plain != self._last_plain:
            self.out.write(line + "\n")
            self.out.flush()
            self._last_plain = plain

    def finish(self) -> None:
        if self.interactive:
            self.out.write("\n")
            self.out.flush()
