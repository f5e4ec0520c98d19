"""`StartExecution` without a name gets a generated one, as on AWS.

moto 5.2.1's interpreter backend uses the name as given: without one, every execution's ARN
ends in `:None` and a second unnamed start returns the first execution (name idempotency).
"""

from __future__ import annotations

import uuid
from typing import Any

from bgtasks.local.shims.shape import expect_function, is_patched, mark_patched

NAME = "sfn_execution_name"


def apply() -> None:
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    if is_patched(StepFunctionsParserBackend, "start_execution"):
        return
    original = expect_function(
        StepFunctionsParserBackend,
        "start_execution",
        ["self", "state_machine_arn", "name", "execution_input"],
        NAME,
    )

    def start_execution(
        self: Any,
        state_machine_arn: str,
        name: Any = None,
        execution_input: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        return original(
            self, state_machine_arn, name or str(uuid.uuid4()), execution_input, *args, **kwargs
        )

    StepFunctionsParserBackend.start_execution = mark_patched(  # type: ignore[method-assign]
        start_execution, NAME
    )
