"""The state graph of one machine (top level, a Parallel branch or a Map processor): every
state reachable from StartAt, and a terminal state reachable from every state."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from bgtasks.asl.problem import Problem, pointer_join

TERMINAL_TYPES = ("Succeed", "Fail")


def _closure(seeds: Iterable[str], edges: Mapping[str, list[str]]) -> set[str]:
    """Every node reachable from `seeds` along `edges` (seeds included)."""
    found = set(seeds)
    queue = deque(found)
    while queue:
        for target in edges.get(queue.popleft(), []):
            if target not in found:
                found.add(target)
                queue.append(target)
    return found


def check(
    states: Mapping[str, Any],
    edges: Mapping[str, list[str]],
    dangling: set[str],
    start: str,
    pointer: str,
) -> list[Problem]:
    """Problems of one machine's graph.

    `edges` maps each state to the states it may transition to (Next, Default, Choices, Catch);
    `dangling` holds states with a transition to a missing state (already reported): where
    they lead is unknown, so they count as finishing rather than cause a derived problem.
    """
    problems: list[Problem] = []
    at = lambda name: pointer_join(pointer, "States", name)  # noqa: E731
    reachable = _closure([start], edges)
    for name in states:
        if name not in reachable:
            problems.append(Problem(at(name), "state is unreachable from StartAt"))
    terminal = {
        name
        for name, state in states.items()
        if isinstance(state, dict)
        and (state.get("End") is True or state.get("Type") in TERMINAL_TYPES)
    }
    if not terminal and not dangling:
        problems.append(
            Problem(pointer_join(pointer, "States"), "no terminal state (End, Succeed or Fail)")
        )
        return problems
    incoming: dict[str, list[str]] = {name: [] for name in states}
    for source, targets in edges.items():
        for target in targets:
            incoming.setdefault(target, []).append(source)
    finishing = _closure(terminal | dangling, incoming)
    for name in states:
        if name in reachable and name not in finishing:
            problems.append(Problem(at(name), "no terminal state is reachable from here"))
    return problems
