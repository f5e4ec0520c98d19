"""Executions of the thumbnails task on the applied envs/local: outputs, report, skipping."""

from __future__ import annotations

from e2e_support import (
    AppliedStack,
    expected_thumbnails,
    report,
    run_task,
    seed,
    thumbnails_of,
    unique,
)

from bgtasks.demo.seed import DemoTenant
from bgtasks.ops.history import read_history


def test_every_enabled_tenant_gets_its_thumbnails_and_the_report_counts_match(
    applied_stack: AppliedStack,
) -> None:
    tenants = [
        DemoTenant(unique("big"), images=14, urls=0),
        DemoTenant(unique("mid"), images=5, urls=0),
        DemoTenant(unique("one"), images=1, urls=0),
        DemoTenant(unique("off"), images=2, urls=0, enabled=False),
    ]
    seeded = seed(applied_stack, tenants)

    run = run_task(applied_stack)

    assert run.status == "SUCCEEDED", run.described
    for tenant in seeded:
        written = set(thumbnails_of(applied_stack, tenant))
        if tenant.tenant.enabled:
            assert written == expected_thumbnails(tenant), tenant.tenant.tenant_id
        else:
            assert written == set(), "a disabled tenant was processed"
    summary = report(applied_stack, run.run_id)
    assert summary["status"] == "SUCCEEDED"
    assert summary["items_ok"] == 14 + 5 + 1
    assert summary["items_failed"] == 0
    assert summary["failed_chunks"] == []
    assert summary["succeeded_chunks"] == summary["size"] >= 2
    assert summary["tenants_succeeded"] == 3


def test_a_rerun_skips_tenants_with_nothing_new(applied_stack: AppliedStack) -> None:
    fresh = DemoTenant(unique("again"), images=3, urls=0)
    seeded = seed(applied_stack, [fresh])
    first = run_task(applied_stack)
    assert first.status == "SUCCEEDED", first.described
    before = thumbnails_of(applied_stack, seeded[0])

    second = run_task(applied_stack)

    assert second.status == "SUCCEEDED", second.described
    plan = _plan_of(applied_stack, second.execution.arn)
    assert plan["size"] == 0 and plan["tenants"] == 0
    assert thumbnails_of(applied_stack, seeded[0]) == before  # nothing rewritten


def _plan_of(stack: AppliedStack, execution_arn: str) -> dict[str, int]:
    plan = read_history(stack.clients.stepfunctions, execution_arn).plan()
    assert plan is not None
    return {"size": int(plan["size"]), "tenants": int(plan.get("tenants", 0))}
