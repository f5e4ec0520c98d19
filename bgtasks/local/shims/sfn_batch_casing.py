"""Parameter casing for the Batch integration of moto's Step Functions interpreter.

State machines write `JobName`, `ArrayProperties`, `ContainerOverrides`... (the Step Functions
casing). moto 5.2.1's Batch integration passes them to boto3 unchanged and reads `JobId` from
a response that says `jobId`, so `submitJob` fails. We convert the request to boto's members
(through the service model, recursively) and the responses back to Step Functions casing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bgtasks.local.shims.shape import (
    expect_function,
    expect_source_contains,
    is_patched,
    mark_patched,
)

NAME = "sfn_batch_casing"


@cache
def _operation_shapes(action: str) -> tuple[Any, Any]:
    """(input shape, output shape) of the Batch operation whose snake_case name is `action`."""
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model("batch")
    for operation_name in model.operation_names:
        if xform_name(operation_name) == action:
            operation = model.operation_model(operation_name)
            return operation.input_shape, operation.output_shape
    raise KeyError(f"batch has no operation {action!r}")


def apply() -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service_batch as batch_module,
    )

    service_class = batch_module.StateTaskServiceBatch
    if is_patched(service_class, "_normalise_parameters"):
        return
    expect_function(
        service_class,
        "_normalise_parameters",
        ["self", "parameters", "boto_service_name", "service_action_name"],
        NAME,
    )
    expect_function(
        service_class,
        "_normalise_response",
        ["self", "response", "boto_service_name", "service_action_name"],
        NAME,
    )
    expect_function(
        service_class, "_to_boto_request", ["self", "parameters", "structure_shape"], NAME
    )
    expect_function(
        service_class, "_from_boto_response", ["self", "response", "structure_shape"], NAME
    )
    # The gap itself: the sync resolver reads the Step Functions-cased "JobId".
    expect_source_contains(service_class._build_sync_resolver, 'submission_output["JobId"]', NAME)

    def _normalise_parameters(
        self: Any,
        parameters: dict[str, Any],
        boto_service_name: str | None = None,
        service_action_name: str | None = None,
    ) -> None:
        action = self._get_boto_service_action(service_action_name)
        input_shape, _ = _operation_shapes(action)
        if input_shape is not None:
            self._to_boto_request(parameters, input_shape)

    def _normalise_response(
        self: Any,
        response: Any,
        boto_service_name: str | None = None,
        service_action_name: str | None = None,
    ) -> None:
        action = self._get_boto_service_action(service_action_name)
        _, output_shape = _operation_shapes(action)
        if output_shape is not None:
            self._from_boto_response(response, output_shape)

    service_class._normalise_parameters = mark_patched(  # type: ignore[method-assign]
        _normalise_parameters, NAME
    )
    service_class._normalise_response = mark_patched(  # type: ignore[method-assign]
        _normalise_response, NAME
    )
