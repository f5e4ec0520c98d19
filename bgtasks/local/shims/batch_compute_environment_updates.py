"""Batch compute environments keep their `updatePolicy` and the changes of an update.

moto 5.2.1 drops the `updatePolicy` of `UpdateComputeEnvironment` (the only call that takes
one: the provider sends it right after creating the environment) and ignores its
`computeResources`. With the AWS provider that means a perpetual diff for any
compute environment with an update policy, and, after an in-place update (a new launch template
version, another `maxvCpus`), a describe that still shows the old values: the update never
converges. AWS applies both; so do we: the update's compute resources are merged over the
stored ones (local Batch then also schedules by the new `maxvCpus`), and `updatePolicy` is kept
and described as sent.
"""

from __future__ import annotations

from typing import Any

from bgtasks.local.shims.shape import (
    expect_function,
    expect_source_contains,
    is_patched,
    mark_patched,
)

NAME = "batch_compute_environment_updates"
_POLICY_ATTRIBUTE = "bgtasks_update_policy"


def apply() -> None:
    from moto.batch.models import BatchBackend
    from moto.batch.responses import BatchResponse

    if is_patched(BatchResponse, "updatecomputeenvironment"):
        return
    original_update = expect_function(BatchResponse, "updatecomputeenvironment", ["self"], NAME)
    original_describe = expect_function(
        BatchBackend, "describe_compute_environments", ["self", "environments"], NAME
    )
    expect_source_contains(
        BatchBackend.update_compute_environment, "if compute_resources is not None:", NAME
    )

    def updatecomputeenvironment(self: Any) -> str:
        answer: str = original_update(self)  # validates the name, role and state first
        environment = self.batch_backend.get_compute_environment(
            self._get_param("computeEnvironment")
        )
        if environment is not None:
            changes = self._get_param("computeResources")
            if isinstance(changes, dict):
                merged = {**(environment.compute_resources or {}), **changes}
                environment.compute_resources = merged
            policy = self._get_param("updatePolicy")
            if isinstance(policy, dict):
                setattr(environment, _POLICY_ATTRIBUTE, dict(policy))
        return answer

    def describe_compute_environments(
        self: Any, environments: list[str] | None = None
    ) -> list[dict[str, Any]]:
        described: list[dict[str, Any]] = original_describe(self, environments)
        for entry in described:
            environment = self.get_compute_environment(entry["computeEnvironmentArn"])
            policy = getattr(environment, _POLICY_ATTRIBUTE, None)
            if policy is not None:
                entry["updatePolicy"] = policy
        return described

    BatchResponse.updatecomputeenvironment = mark_patched(  # type: ignore[method-assign]
        updatecomputeenvironment, NAME
    )
    BatchBackend.describe_compute_environments = mark_patched(  # type: ignore[method-assign]
        describe_compute_environments, NAME
    )
