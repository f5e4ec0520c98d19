"""The task registry: every module in `worker/tasks/` is a task named after the module.

A task module defines one function, `run(unit, parameters, store) -> UnitOutcome`, which does
one tenant's share of a chunk. It may also define `PARAMETERS_SCHEMA` (a JSON Schema for its
parameters) and `check(unit, parameters)` (raises BadInputError); both are applied to every
unit of the chunk before any work starts, so bad input never leaves partial output.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from worker import tasks
from worker.chunks import Unit
from worker.errors import BadInputError
from worker.outcome import UnitOutcome
from worker.s3store import ObjectStore

RunFunction = Callable[[Unit, Mapping[str, Any], ObjectStore], UnitOutcome]
CheckFunction = Callable[[Unit, Mapping[str, Any]], None]


@dataclass(frozen=True)
class Task:
    name: str
    run: RunFunction
    check: CheckFunction | None
    parameters_schema: Mapping[str, Any] | None

    def validate(self, unit: Unit, parameters: Mapping[str, Any]) -> None:
        """Raise BadInputError when the unit or its parameters are unfit for this task."""
        if self.parameters_schema is not None:
            validator = Draft202012Validator(self.parameters_schema)
            errors = sorted(validator.iter_errors(dict(parameters)), key=lambda e: e.path)
            if errors:
                where = "/".join(str(p) for p in errors[0].absolute_path)
                raise BadInputError(
                    f"tenant {unit.tenant_id!r}: bad {self.name} parameter {where}: "
                    f"{errors[0].message}"
                )
        if self.check is not None:
            self.check(unit, parameters)


def task_names() -> list[str]:
    """Every registered task, by name."""
    modules = pkgutil.iter_modules(tasks.__path__)
    return sorted(m.name.replace("_", "-") for m in modules if not m.name.startswith("_"))


def load_task(name: str) -> Task:
    """The named task; BadInputError when no module in `worker/tasks/` has that name."""
    if name not in task_names():
        known = ", ".join(task_names())
        raise BadInputError(f"unknown task {name!r} (known: {known})")
    module = importlib.import_module(f"{tasks.__name__}.{name.replace('-', '_')}")
    return Task(
        name=name,
        run=module.run,
        check=getattr(module, "check", None),
        parameters_schema=getattr(module, "PARAMETERS_SCHEMA", None),
    )
