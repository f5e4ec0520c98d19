"""`bgtasks chunks plan`: the metadata function's chunk plan, offline (DESIGN.md §4).

Same code path as the Lambda: `metadata_fn.planning.plan_chunks` with the task table's costs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from metadata_fn.planning import MAX_CHUNKS, Plan, Workload, plan_chunks
from metadata_fn.tasks import TASKS

EXIT_OK = 0
EXIT_USAGE = 2


def register(subparsers: Any) -> None:
    chunks = subparsers.add_parser(
        "chunks",
        help="plan and inspect balanced chunks",
        description="Chunk tools: the plan the metadata function would make.",
    )
    chunk_commands = chunks.add_subparsers(dest="chunks_command", metavar="COMMAND")
    plan = chunk_commands.add_parser(
        "plan",
        help="print the balanced chunk plan for a tenants file",
        description=(
            "Read a tenants file (JSON list of {tenant_id, items}, items a count or a list of "
            "item keys) and print, as JSON, the chunks the metadata function would write: in "
            "array index order, with the makespan of P workers taking them in that order and "
            "the lower bound max(total / min(P, K), largest indivisible piece) + start-up cost. "
            "Exit 0 on success, 2 on bad arguments or a bad tenants file."
        ),
    )
    plan.add_argument("--tenants", required=True, metavar="FILE", help="tenants JSON ('-': stdin)")
    plan.add_argument(
        "--chunks",
        required=True,
        type=_bounded_int(1, MAX_CHUNKS),
        metavar="K",
        help=f"at most K chunks (1..{MAX_CHUNKS})",
    )
    plan.add_argument(
        "--workers",
        type=_bounded_int(1, 1_000_000),
        metavar="P",
        help="parallel workers (default: K, every chunk at once)",
    )
    plan.add_argument(
        "--startup-cost",
        type=_non_negative_float,
        default=0.0,
        metavar="C",
        help="start-up cost of each chunk, in item-cost units (default 0)",
    )
    plan.add_argument(
        "--task",
        choices=sorted(TASKS),
        help="use this task's per-item cost and splitting rule (default: 1 per item, splittable)",
    )
    plan.set_defaults(func=run_plan)
    chunks.set_defaults(func=lambda _args: _usage(chunks))


def run_plan(args: argparse.Namespace) -> int:
    try:
        entries = _read_json(args.tenants)
        workloads = parse_workloads(entries, args.task)
        plan = plan_chunks(workloads, args.chunks, args.workers, args.startup_cost)
    except (OSError, ValueError) as error:  # PlanningError and JSON errors are ValueErrors
        print(f"bgtasks chunks plan: {error}", file=sys.stderr)
        return EXIT_USAGE
    json.dump(plan_to_json(plan, workloads), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return EXIT_OK


def parse_workloads(entries: Any, task: str | None) -> list[Workload]:
    """Workloads from a decoded tenants file; `ValueError` naming the bad entry."""
    spec = TASKS[task] if task else None
    cost = spec.cost_per_item if spec else 1.0
    splittable = spec.splittable if spec else True
    if not isinstance(entries, list):
        raise ValueError("tenants file: expected a JSON list of {tenant_id, items}")
    workloads = []
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ValueError(f"tenants file: entry #{position}: expected an object")
        tenant_id = entry.get("tenant_id")
        if not isinstance(tenant_id, str) or not tenant_id:
            raise ValueError(f"tenants file: entry #{position}: tenant_id must be a string")
        items = entry.get("items")
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            count = len(items)
        elif isinstance(items, int) and not isinstance(items, bool) and items >= 0:
            count = items
        else:
            raise ValueError(
                f"tenants file: tenant {tenant_id}: items must be a count >= 0 or a list of keys"
            )
        workloads.append(Workload(tenant_id, count, cost, splittable))
    return workloads


def plan_to_json(plan: Plan, workloads: list[Workload]) -> dict[str, Any]:
    """The §4 output: chunks in index order with per-tenant counts, makespan and lower bound."""
    return {
        "chunks": [
            {
                "index": chunk.index,
                "items": chunk.items,
                "tenants": [
                    {"tenant_id": workloads[unit.workload].tenant_id, "items": unit.items}
                    for unit in chunk.units
                ],
            }
            for chunk in plan.chunks
        ],
        "makespan": round(plan.makespan, 6),
        "lower_bound": round(plan.lower_bound, 6),
    }


def _read_json(name: str) -> Any:
    text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{name}: not valid JSON ({error})") from None


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _bounded_int(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low}..{high}, got {value}")
        return value

    return parse


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text}")
    return value
