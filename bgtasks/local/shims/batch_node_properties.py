"""Batch job definitions show `nodeProperties` in `DescribeJobDefinitions`.

moto 5.2.1 stores a multi-node definition's node properties but leaves them out of
`describe`; the AWS provider sees them missing, plans a change, and registers a new revision
on every apply.
"""

from __future__ import annotations

from typing import Any

from bgtasks.local.shims.shape import expect_function, is_patched, mark_patched

NAME = "batch_node_properties"


def apply() -> None:
    from moto.batch.models import JobDefinition

    if is_patched(JobDefinition, "describe"):
        return
    original = expect_function(JobDefinition, "describe", ["self"], NAME)
    if "node_properties" not in JobDefinition.__init__.__code__.co_varnames:
        from bgtasks.local.shims.shape import ShimShapeError

        raise ShimShapeError(f"shim {NAME}: JobDefinition no longer takes node_properties")

    def describe(self: Any) -> dict[str, Any]:
        result: dict[str, Any] = original(self)
        if self.node_properties is not None and "nodeProperties" not in result:
            result["nodeProperties"] = self.node_properties
        return result

    JobDefinition.describe = mark_patched(describe, NAME)  # type: ignore[method-assign]
