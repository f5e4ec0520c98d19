"""Balanced chunk planning: tenants' work into at most `max_chunks` array children.

The plan works on item counts and per-item costs only (never keys), so it is the same code for
the Lambda and for `bgtasks chunks plan`. The approach:

1. Target chunk cost T = max(total / S, largest indivisible piece), S = min(workers, max_chunks)
   the chunks that can run at once. No schedule can beat T (plus one start-up cost).
2. Pack tenants into S chunks with LPT (largest first, onto the least loaded chunk), except
   that a splittable tenant which would push that chunk past T fills it to T (to the nearest
   item) and carries on with its remaining items into the next least loaded chunk. Small
   tenants and indivisible ones always stay whole. With at most one chunk per worker every
   chunk starts at once, so the start-up cost is paid once per worker and never changes the
   packing; chunks left empty are dropped.
3. Order the chunks largest first: Batch starts array children in index order.

Makespan is measured as P workers taking the chunks in index order (list scheduling), each
chunk costing its items plus the start-up cost.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_CHUNKS = 10_000  # the AWS Batch array size limit
# A tenant costing at most this share of the target chunk cost is kept whole, always.
SMALL_SHARE = 0.01


class PlanningError(ValueError):
    """The planner's inputs are out of range (a caller's bug or bad user input)."""


@dataclass(frozen=True)
class Workload:
    """One tenant's work: `items` items costing `cost_per_item` each."""

    tenant_id: str
    items: int
    cost_per_item: float = 1.0
    splittable: bool = True

    @property
    def cost(self) -> float:
        return self.items * self.cost_per_item


@dataclass(frozen=True)
class Unit:
    """One tenant's share of one chunk: half-open ranges into the tenant's sorted items."""

    workload: int  # index into the planned workloads
    ranges: tuple[tuple[int, int], ...]
    part: int  # 0-based, in item order; 0 when whole
    parts: int  # how many chunks share this tenant; 1 when whole

    @property
    def items(self) -> int:
        return sum(stop - start for start, stop in self.ranges)


@dataclass(frozen=True)
class Chunk:
    """One array child's work. `cost` excludes the start-up cost."""

    index: int
    units: tuple[Unit, ...]
    cost: float

    @property
    def items(self) -> int:
        return sum(unit.items for unit in self.units)


@dataclass(frozen=True)
class Plan:
    """The chunks in the order Batch starts them, and how good the plan is."""

    chunks: tuple[Chunk, ...]
    makespan: float
    lower_bound: float
    workers: int
    startup_cost: float

    @property
    def items(self) -> int:
        return sum(chunk.items for chunk in self.chunks)


def plan_chunks(
    workloads: Sequence[Workload],
    max_chunks: int,
    workers: int | None = None,
    startup_cost: float = 0.0,
) -> Plan:
    """Plan `workloads` into at most `max_chunks` balanced chunks for `workers` workers.

    `workers` defaults to `max_chunks` (every chunk runs at once). Workloads with no items get
    no chunk; no chunk is empty; every item is planned exactly once.
    """
    _check_inputs(workloads, max_chunks, workers, startup_cost)
    parallel = workers if workers is not None else max_chunks
    active = [index for index, workload in enumerate(workloads) if workload.items > 0]
    if not active:
        return Plan((), 0.0, 0.0, parallel, startup_cost)
    slots = min(parallel, max_chunks)
    target = max(
        sum(workloads[i].cost for i in active) / slots,
        largest_indivisible_cost(workloads[i] for i in active),
    )
    chunks = _pack(workloads, active, target, slots)
    costs = [chunk.cost for chunk in chunks]
    return Plan(
        chunks=chunks,
        makespan=list_schedule_makespan(costs, parallel, startup_cost),
        lower_bound=lower_bound(workloads, max_chunks, parallel, startup_cost),
        workers=parallel,
        startup_cost=startup_cost,
    )


def largest_indivisible_cost(workloads: Iterable[Workload]) -> float:
    """The largest piece no plan can split: one item of a splittable tenant, else the tenant."""
    largest = 0.0
    for workload in workloads:
        if workload.items > 0:
            piece = workload.cost_per_item if workload.splittable else workload.cost
            largest = max(largest, piece)
    return largest


def lower_bound(
    workloads: Sequence[Workload], max_chunks: int, workers: int, startup_cost: float
) -> float:
    """max(total / min(P, K), largest indivisible piece) + start-up cost; 0 with no work.

    Every busy worker pays at least one start-up cost, and at most min(P, K) run at once.
    """
    total = sum(workload.cost for workload in workloads if workload.items > 0)
    if total == 0:
        return 0.0
    slots = min(workers, max_chunks)
    return max(total / slots, largest_indivisible_cost(workloads)) + startup_cost


def list_schedule_makespan(costs: Sequence[float], workers: int, startup_cost: float) -> float:
    """Finish time when `workers` take the chunks in index order, each the first free worker."""
    if not costs:
        return 0.0
    free_at = [0.0] * min(workers, len(costs))
    finish = 0.0
    for cost in costs:
        start = heapq.heappop(free_at)
        end = start + startup_cost + cost
        finish = max(finish, end)
        heapq.heappush(free_at, end)
    return finish


def _check_inputs(
    workloads: Sequence[Workload], max_chunks: int, workers: int | None, startup_cost: float
) -> None:
    if not 1 <= max_chunks <= MAX_CHUNKS:
        raise PlanningError(f"max_chunks must be 1..{MAX_CHUNKS}, got {max_chunks}")
    if workers is not None and workers < 1:
        raise PlanningError(f"workers must be at least 1, got {workers}")
    if not math.isfinite(startup_cost) or startup_cost < 0:
        raise PlanningError(f"startup cost must be a finite number >= 0, got {startup_cost}")
    seen: set[str] = set()
    for workload in workloads:
        if workload.items < 0:
            raise PlanningError(f"tenant {workload.tenant_id}: negative item count")
        if not math.isfinite(workload.cost_per_item) or workload.cost_per_item <= 0:
            raise PlanningError(f"tenant {workload.tenant_id}: cost per item must be > 0")
        if workload.tenant_id in seen:
            raise PlanningError(f"tenant {workload.tenant_id} appears twice")
        seen.add(workload.tenant_id)


def _pack(
    workloads: Sequence[Workload], active: Sequence[int], target: float, bins: int
) -> tuple[Chunk, ...]:
    """LPT with splitting: largest tenant first onto the least loaded chunk; a splittable tenant
    that would push it past `target` fills it to `target` and goes on with the rest.

    Small tenants (at most SMALL_SHARE of the target) are never split: they come last, onto
    nearly full chunks, so placing one whole overshoots by less than its own small cost.
    Returns the chunks, largest first.
    """
    order = sorted(active, key=lambda index: (-workloads[index].cost, index))
    loads = [(0.0, number) for number in range(bins)]
    costs = [0.0] * bins
    # Per tenant, its pieces in item order: (start, stop, bin).
    placed: dict[int, list[tuple[int, int, int]]] = {}
    small = target * SMALL_SHARE
    for index in order:
        workload = workloads[index]
        unit_cost = workload.cost_per_item
        pieces = placed[index] = []
        start = 0
        while start < workload.items:
            load, number = heapq.heappop(loads)
            left = workload.items - start
            take = left
            if (
                workload.splittable
                and left * unit_cost > small
                and load + left * unit_cost > target
            ):
                # Fill to the target, rounding to the nearest item; at least one item.
                take = min(left, max(1, math.floor((target - load) / unit_cost + 0.5)))
            pieces.append((start, start + take, number))
            costs[number] = load + take * unit_cost
            heapq.heappush(loads, (costs[number], number))
            start += take
    return _assemble(placed, costs)


def _assemble(
    placed: dict[int, list[tuple[int, int, int]]], costs: list[float]
) -> tuple[Chunk, ...]:
    """Chunks from the placements: used bins largest first; a tenant's pieces in one chunk
    merged into one unit; parts numbered in item order (part 0 holds the first items)."""
    first_tenant: dict[int, int] = {}
    for index in sorted(placed):
        for _, _, number in placed[index]:
            first_tenant.setdefault(number, index)
    used = sorted(first_tenant, key=lambda number: (-costs[number], first_tenant[number]))
    position = {number: rank for rank, number in enumerate(used)}
    units: list[list[Unit]] = [[] for _ in used]
    for index in sorted(placed):
        pieces = placed[index]
        if len(pieces) == 1:
            start, stop, number = pieces[0]
            units[position[number]].append(Unit(index, ((start, stop),), 0, 1))
            continue
        spans: dict[int, list[tuple[int, int]]] = {}
        for start, stop, number in pieces:  # in item order, so dict order is part order
            spans.setdefault(number, []).append((start, stop))
        for part, (number, ranges) in enumerate(spans.items()):
            units[position[number]].append(Unit(index, _coalesce(ranges), part, len(spans)))
    return tuple(
        Chunk(rank, tuple(chunk_units), costs[number])
        for rank, (number, chunk_units) in enumerate(zip(used, units, strict=True))
    )


def _coalesce(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, stop in spans:  # already in item order
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], stop)
        else:
            out.append((start, stop))
    return tuple(out)
