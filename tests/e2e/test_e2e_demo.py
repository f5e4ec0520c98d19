"""The demo's phases after `apply` (the session fixture applies envs/local with the same
`local_stack()` the demo uses): seeding, a run with live progress, the final line."""

from __future__ import annotations

import io
import re

from e2e_support import AppliedStack, report

from bgtasks.demo.flow import DemoResult, print_outputs, seed_demo_tenants, watch
from bgtasks.demo.progress import ProgressPrinter
from bgtasks.demo.seed import DEMO_TENANTS
from bgtasks.ops.runs import RunRequest, start_run

FINAL_LINE = re.compile(r"^demo: (SUCCEEDED|FAILED|TIMED_OUT|ABORTED) chunks=\d+ wall=\d+\.\d+s$")


def test_the_demo_run_shows_progress_and_ends_with_the_contract_line(
    applied_stack: AppliedStack,
) -> None:
    clients = applied_stack.clients
    seeded = seed_demo_tenants(clients, applied_stack.outputs, edition="e2e")
    execution = start_run(clients.stepfunctions, RunRequest("thumbnails", "local"))
    log = io.StringIO()

    last = watch(clients, execution.arn, ProgressPrinter(log, interactive=False), timeout=180)

    lines = log.getvalue().splitlines()
    assert last.execution_status == "SUCCEEDED" and last.size == 6
    assert any("running=" in line and "RunArrayJob" in line for line in lines)
    assert lines[-1].startswith("[" + "#" * 24 + "] 6/6 chunks")
    assert "succeeded=6 failed=0" in lines[-1]
    enabled = [t for t in DEMO_TENANTS if t.enabled]
    summary = report(applied_stack, execution.run_id)
    assert summary["items_ok"] == sum(t.images for t in enabled)
    assert summary["tenants_succeeded"] == len(enabled)

    result = DemoResult(status=last.execution_status, chunks=last.size or 0, wall=12.34)
    result.run_id, result.report = execution.run_id, summary
    out = io.StringIO()
    print_outputs(out, result, seeded, applied_stack.outputs)
    assert f"bgtasks status {execution.run_id}" in out.getvalue()
    assert FINAL_LINE.match(result.final_line())
    assert result.final_line() == "demo: SUCCEEDED chunks=6 wall=12.3s"
