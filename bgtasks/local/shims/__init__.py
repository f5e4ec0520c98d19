"""The compatibility shims of DESIGN.md §5: each a small named module with `NAME` and `apply()`.

`apply_all()` applies them at start; each first checks that what it patches in moto still has
the shape it expects, and raises `ShimShapeError` naming the shim when it does not.
"""

from __future__ import annotations

from types import ModuleType

from bgtasks.local.shims import (
    batch_compute_environment_updates,
    batch_node_properties,
    ec2_launch_template_empty_tags,
    ec2_launch_template_tags,
    iam_policy_conditions,
    s3_lifecycle_size,
    sfn_batch_casing,
    sfn_execution_copy,
    sfn_execution_name,
    sfn_list_versions,
    sfn_validate_definition,
)
from bgtasks.local.shims.shape import ShimShapeError

SHIMS: tuple[ModuleType, ...] = (
    sfn_validate_definition,
    sfn_list_versions,
    sfn_batch_casing,
    sfn_execution_copy,
    sfn_execution_name,
    s3_lifecycle_size,
    ec2_launch_template_tags,
    ec2_launch_template_empty_tags,
    batch_node_properties,
    batch_compute_environment_updates,
    iam_policy_conditions,
)

__all__ = ["SHIMS", "ShimShapeError", "apply_all"]


def apply_all() -> list[str]:
    """Apply every shim (idempotent); returns their names in order."""
    for shim in SHIMS:
        shim.apply()
    return [shim.NAME for shim in SHIMS]
