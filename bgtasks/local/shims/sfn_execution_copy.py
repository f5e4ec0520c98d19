"""A second `StartExecution` of the same state machine in moto's interpreter.

moto 5.2.1 deep-copies the state machine for each execution, past executions included; a
running or finished execution holds locks and threads, so the copy fails with
`cannot pickle '_thread.RLock'`. The copy needs the definition, not the history: we copy the
state machine without its executions.
"""

from __future__ import annotations

import copy
from typing import Any

from bgtasks.local.shims.shape import (
    expect_absent,
    expect_source_contains,
    is_patched,
    mark_patched,
)

NAME = "sfn_execution_copy"


def apply() -> None:
    from moto.stepfunctions.models import StateMachineInstance
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    if is_patched(StateMachineInstance, "__deepcopy__"):
        return
    expect_absent(StateMachineInstance, "__deepcopy__", NAME)
    expect_source_contains(
        StepFunctionsParserBackend.start_execution, "copy.deepcopy(state_machine)", NAME
    )

    def __deepcopy__(self: Any, memo: dict[int, Any]) -> Any:
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            if key == "executions":
                setattr(clone, key, [])
            else:
                setattr(clone, key, copy.deepcopy(value, memo))
        return clone

    StateMachineInstance.__deepcopy__ = mark_patched(__deepcopy__, NAME)  # type: ignore[attr-defined]
