"""The chunk planner: every item exactly once, no empty chunk, at most max_chunks, balanced,
largest chunk first. Property-style: many seeded random workloads, each checked in full."""

from __future__ import annotations

import random

import pytest
from metadata_fn.planning import (
    MAX_CHUNKS,
    Plan,
    PlanningError,
    Workload,
    list_schedule_makespan,
    lower_bound,
    plan_chunks,
)


def random_workloads(rng: random.Random) -> list[Workload]:
    count = rng.randint(1, 60)
    shape = rng.choice(["zipf", "uniform", "one-giant", "tiny"])
    workloads = []
    for number in range(count):
        if shape == "zipf":
            items = int(5000 * (number + 1) ** -1.1)
        elif shape == "uniform":
            items = rng.randint(0, 500)
        elif shape == "one-giant":
            items = 10_000 if number == 0 else rng.randint(0, 30)
        else:
            items = rng.randint(0, 3)
        workloads.append(
            Workload(
                f"t{number}",
                items,
                cost_per_item=rng.choice([1.0, 0.5, 2.5]),
                splittable=rng.random() < 0.8,
            )
        )
    rng.shuffle(workloads)
    return workloads


def assert_plan_is_sound(plan: Plan, workloads: list[Workload], max_chunks: int) -> None:
    assert len(plan.chunks) <= max_chunks
    assert [chunk.index for chunk in plan.chunks] == list(range(len(plan.chunks)))
    covered: dict[int, list[tuple[int, int]]] = {}
    for chunk in plan.chunks:
        assert chunk.items > 0, "no chunk is empty"
        assert len({unit.workload for unit in chunk.units}) == len(chunk.units)
        cost = 0.0
        for unit in chunk.units:
            assert unit.items > 0
            covered.setdefault(unit.workload, []).extend(unit.ranges)
            cost += unit.items * workloads[unit.workload].cost_per_item
        assert chunk.cost == pytest.approx(cost)
    for index, workload in enumerate(workloads):
        spans = sorted(covered.get(index, []))
        # Every item planned exactly once: the ranges tile [0, items) without gap or overlap.
        position = 0
        for start, stop in spans:
            assert start == position and stop > start
            position = stop
        assert position == workload.items
        if not workload.splittable:
            assert len(spans) <= 1, "an indivisible tenant stays in one chunk"
    costs = [chunk.cost for chunk in plan.chunks]
    assert costs == sorted(costs, reverse=True), "largest chunk first"


@pytest.mark.parametrize("seed", range(200))
def test_random_workloads_are_planned_soundly(seed: int) -> None:
    rng = random.Random(seed)
    workloads = random_workloads(rng)
    max_chunks = rng.choice([1, 2, 3, 7, 32, 100, MAX_CHUNKS])
    workers = rng.choice([None, 1, 4, 32])
    startup = rng.choice([0.0, 5.0])
    plan = plan_chunks(workloads, max_chunks, workers, startup)
    assert_plan_is_sound(plan, workloads, max_chunks)
    assert plan.makespan >= plan.lower_bound - 1e-9


@pytest.mark.parametrize("seed", range(50))
def test_parts_are_numbered_in_item_order(seed: int) -> None:
    rng = random.Random(seed)
    workloads = random_workloads(rng)
    plan = plan_chunks(workloads, rng.choice([4, 32]), None, 0.0)
    units: dict[int, list[tuple[int, int, int]]] = {}
    for chunk in plan.chunks:
        for unit in chunk.units:
            units.setdefault(unit.workload, []).append((unit.ranges[0][0], unit.part, unit.parts))
    for held in units.values():
        held.sort()
        assert [part for _, part, _ in held] == list(range(len(held)))
        assert {parts for _, _, parts in held} == {len(held)}


def test_a_large_tenant_is_split_and_small_tenants_stay_whole() -> None:
    workloads = [Workload("big", 10_000)] + [Workload(f"s{n}", 10) for n in range(100)]
    plan = plan_chunks(workloads, 8)
    holders = [chunk for chunk in plan.chunks if any(u.workload == 0 for u in chunk.units)]
    assert len(holders) == 8
    for chunk in plan.chunks:
        for unit in chunk.units:
            if unit.workload != 0:
                assert (unit.part, unit.parts) == (0, 1)
    assert plan.makespan <= plan.lower_bound * 1.01


def test_the_largest_tenant_does_not_decide_the_run() -> None:
    sizes = [int(100_000 * rank**-1.1) for rank in range(1, 301)]
    workloads = [Workload(f"t{n}", size) for n, size in enumerate(sizes)]
    plan = plan_chunks(workloads, 10_000, workers=16, startup_cost=10.0)
    one_per_tenant = list_schedule_makespan([float(size) for size in sizes], 16, 10.0)
    assert one_per_tenant > 3 * plan.lower_bound
    assert plan.makespan <= 1.02 * plan.lower_bound
    assert len(plan.chunks) == 16, "one chunk per worker: the start-up cost is paid once"


def test_indivisible_tenants_are_packed_whole_and_bound_by_the_largest() -> None:
    workloads = [Workload(f"t{n}", size, splittable=False) for n, size in enumerate([50, 5, 5])]
    plan = plan_chunks(workloads, 10, workers=3, startup_cost=1.0)
    assert plan.lower_bound == 51.0
    assert plan.makespan == 51.0
    assert [chunk.items for chunk in plan.chunks] == [50, 5, 5]


def test_fewer_chunks_than_workers_bound_by_the_chunk_limit() -> None:
    plan = plan_chunks([Workload("a", 90), Workload("b", 30)], max_chunks=2, workers=8)
    assert plan.lower_bound == 60.0
    assert plan.makespan == 60.0
    assert len(plan.chunks) == 2


def test_makespan_is_list_scheduling_in_index_order_with_startup_cost() -> None:
    assert list_schedule_makespan([5.0, 3.0, 3.0, 1.0], 2, 1.0) == 8.0
    assert list_schedule_makespan([], 4, 1.0) == 0.0
    assert list_schedule_makespan([2.0, 2.0], 10, 0.5) == 2.5


def test_more_items_than_chunks_never_yields_empty_chunks() -> None:
    plan = plan_chunks([Workload("a", 3)], max_chunks=32)
    assert [chunk.items for chunk in plan.chunks] == [1, 1, 1]


def test_no_work_plans_no_chunks() -> None:
    plan = plan_chunks([Workload("a", 0), Workload("b", 0)], max_chunks=5)
    assert plan.chunks == ()
    assert plan.makespan == 0.0
    assert lower_bound([Workload("a", 0)], 5, 5, 3.0) == 0.0


def test_plans_are_deterministic() -> None:
    workloads = random_workloads(random.Random(7))
    assert plan_chunks(workloads, 13, 5, 2.0) == plan_chunks(list(workloads), 13, 5, 2.0)


@pytest.mark.parametrize(
    ("workloads", "max_chunks", "workers", "startup", "message"),
    [
        ([Workload("a", 1)], 0, None, 0.0, "max_chunks"),
        ([Workload("a", 1)], MAX_CHUNKS + 1, None, 0.0, "max_chunks"),
        ([Workload("a", 1)], 5, 0, 0.0, "workers"),
        ([Workload("a", 1)], 5, None, -1.0, "startup"),
        ([Workload("a", 1)], 5, None, float("nan"), "startup"),
        ([Workload("a", -1)], 5, None, 0.0, "negative"),
        ([Workload("a", 1, cost_per_item=0.0)], 5, None, 0.0, "cost per item"),
        ([Workload("a", 1), Workload("a", 2)], 5, None, 0.0, "twice"),
    ],
)
def test_bad_inputs_are_refused(
    workloads: list[Workload], max_chunks: int, workers: int | None, startup: float, message: str
) -> None:
    with pytest.raises(PlanningError, match=message):
        plan_chunks(workloads, max_chunks, workers, startup)


def zipf_workloads(tenants: int, items: int, s: float) -> list[Workload]:
    weights = [rank**-s for rank in range(1, tenants + 1)]
    scale = items / sum(weights)
    sizes = [max(1, round(weight * scale)) for weight in weights]
    random.Random(5).shuffle(sizes)
    return [Workload(f"t{n}", size) for n, size in enumerate(sizes)]


def test_the_issue_workload_is_within_2_percent_of_the_bound() -> None:
    """1,000 Zipf(1.1) tenants, about 1M items, 32 workers (the bench's figures, as a check)."""
    workloads = zipf_workloads(1_000, 1_000_000, 1.1)
    for startup in (0.0, 20.0):
        plan = plan_chunks(workloads, MAX_CHUNKS, workers=32, startup_cost=startup)
        assert plan.makespan <= 1.02 * plan.lower_bound
        assert plan.items == sum(w.items for w in workloads)
    one_per_tenant = list_schedule_makespan([w.cost for w in workloads], 32, 0.0)
    assert one_per_tenant > 5 * plan_chunks(workloads, MAX_CHUNKS, 32).lower_bound


@pytest.mark.parametrize("seed", range(40))
def test_splittable_work_is_balanced_within_2_percent(seed: int) -> None:
    """Whenever each worker gets a few hundred items or more, splitting reaches the bound."""
    rng = random.Random(seed)
    workers = rng.choice([2, 8, 32, 100])
    tenants = rng.randint(1, 400)
    workloads = zipf_workloads(tenants, workers * rng.randint(300, 3000), rng.uniform(0.5, 2.0))
    plan = plan_chunks(workloads, rng.choice([workers, MAX_CHUNKS]), workers, rng.choice([0, 30]))
    assert_plan_is_sound(plan, workloads, MAX_CHUNKS)
    assert plan.makespan <= 1.02 * plan.lower_bound
