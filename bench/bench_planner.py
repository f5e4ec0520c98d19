"""Planner benchmark (issue 5): balance and speed of `metadata_fn.planning.plan_chunks`.

Workload: 1,000 tenants with Zipf-distributed sizes (s = 1.1, about 1M items), 32 workers.
Targets: makespan within 2% of the lower bound max(total / P, largest indivisible piece) (+ the
start-up cost, which every plan pays), where one tenant per chunk is about 6x the bound; and
1M items planned in under 1 s. Prints figures; passes or fails nothing.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from functools import partial

from metadata_fn.planning import Workload, list_schedule_makespan, plan_chunks

TENANTS = 1_000
ITEMS = 1_000_000
ZIPF_S = 1.1


def zipf_sizes(tenants: int, items: int, s: float, seed: int) -> list[int]:
    """Sizes proportional to rank^-s, shuffled (input order must not matter), at least 1."""
    weights = [rank**-s for rank in range(1, tenants + 1)]
    scale = items / sum(weights)
    sizes = [max(1, round(weight * scale)) for weight in weights]
    random.Random(seed).shuffle(sizes)
    return sizes


def sampled_zipf_sizes(tenants: int, items: int, s: float, seed: int) -> list[int]:
    """Sizes drawn at random: each item goes to a rank drawn from Zipf(s) (less regular)."""
    rng = random.Random(seed)
    weights = [rank**-s for rank in range(1, tenants + 1)]
    counts = [0] * tenants
    for rank in rng.choices(range(tenants), weights=weights, k=items):
        counts[rank] += 1
    return counts


def one_tenant_per_chunk(workloads: list[Workload], workers: int, startup: float) -> float:
    """The makespan of today's pattern: one chunk per tenant, in tenant order."""
    return list_schedule_makespan([w.cost for w in workloads if w.items], workers, startup)


def best_time(function: Callable[[], object], repeats: int = 5) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    print(
        f"{'sizes':<9} {'P':>4} {'K':>6} {'C':>5} {'chunks':>6} {'makespan':>10} "
        f"{'bound':>10} {'ratio':>7} {'1/chunk':>8} {'plan s':>7}"
    )
    cases = [
        ("zipf", zipf_sizes(TENANTS, ITEMS, ZIPF_S, seed=1), 32, 10_000, 0.0),
        ("zipf", zipf_sizes(TENANTS, ITEMS, ZIPF_S, seed=1), 32, 10_000, 20.0),
        ("zipf", zipf_sizes(TENANTS, ITEMS, ZIPF_S, seed=1), 32, 32, 20.0),
        ("sampled", sampled_zipf_sizes(TENANTS, ITEMS, ZIPF_S, seed=2), 32, 10_000, 20.0),
        ("zipf", zipf_sizes(TENANTS, ITEMS, ZIPF_S, seed=1), 256, 10_000, 20.0),
        ("zipf", zipf_sizes(TENANTS, ITEMS, ZIPF_S, seed=1), 10_000, 10_000, 20.0),
        ("zipf", zipf_sizes(100_000, 10 * ITEMS, ZIPF_S, seed=3), 32, 10_000, 20.0),
    ]
    for label, sizes, workers, max_chunks, startup in cases:
        workloads = [Workload(f"t{n}", size) for n, size in enumerate(sizes)]
        plan = plan_chunks(workloads, max_chunks, workers, startup)
        seconds = best_time(partial(plan_chunks, workloads, max_chunks, workers, startup))
        baseline = one_tenant_per_chunk(workloads, workers, startup) / plan.lower_bound
        print(
            f"{label:<9} {workers:>4} {max_chunks:>6} {startup:>5g} {len(plan.chunks):>6} "
            f"{plan.makespan:>10.0f} {plan.lower_bound:>10.0f} "
            f"{plan.makespan / plan.lower_bound:>7.4f} {baseline:>7.2f}x {seconds:>7.4f}"
        )
        if plan.items != sum(sizes):
            raise AssertionError("the plan lost or duplicated items")

    # Speed with keys: plan 1M items and cut each chunk's key lists, as the Lambda does.
    sizes = zipf_sizes(TENANTS, ITEMS, ZIPF_S, seed=1)
    keys = [[f"tenant{n}/images/{i:07d}.jpg" for i in range(size)] for n, size in enumerate(sizes)]
    workloads = [Workload(f"t{n}", size) for n, size in enumerate(sizes)]

    def plan_with_keys() -> None:
        plan = plan_chunks(workloads, 10_000, 32, 20.0)
        for chunk in plan.chunks:
            for unit in chunk.units:
                tenant_keys = keys[unit.workload]
                [key for start, stop in unit.ranges for key in tenant_keys[start:stop]]

    runs = [best_time(plan_with_keys, repeats=1) for _ in range(3)]
    print(
        f"1M items with keys cut into chunk lists: median {statistics.median(runs):.3f} s "
        f"(target < 1 s)"
    )


if __name__ == "__main__":
    main()
