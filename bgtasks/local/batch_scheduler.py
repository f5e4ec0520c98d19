"""vCPU-bounded placement of Batch jobs on compute environments, as real Batch does it.

A job that is RUNNABLE waits here until a compute environment of its queue (in the queue's
`computeEnvironmentOrder`) has `maxvCpus` room for it. Jobs of one queue start in submission
order: a job never overtakes an earlier RUNNABLE job of the same queue.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any

# Without a `maxvCpus` (unmanaged environments), allow this many vCPUs at once.
UNBOUNDED_VCPUS = 256.0
_WAIT_SECONDS = 0.2


class PlacementError(Exception):
    """The job can never be placed (it needs more vCPUs than any environment has)."""


class PlacementCancelled(Exception):
    """The job was terminated while it waited for capacity."""


@dataclass
class _Waiting:
    key: tuple[float, int, int]
    queue_arn: str
    job: Any


def max_vcpus(environment: Any) -> float:
    resources = environment.compute_resources or {}
    value = resources.get("maxvCpus")
    return float(value) if value is not None else UNBOUNDED_VCPUS


def ordered_environments(queue: Any) -> list[Any]:
    """The queue's compute environments in `computeEnvironmentOrder`."""
    by_arn = {env.arn: env for env in queue.environments}
    order = sorted(queue.env_order_json or [], key=lambda item: int(item.get("order", 0)))
    ordered = [
        by_arn[item["computeEnvironment"]]
        for item in order
        if item.get("computeEnvironment") in by_arn
    ]
    seen = {env.arn for env in ordered}
    return ordered + [env for env in queue.environments if env.arn not in seen]


class VcpuScheduler:
    """Hands out compute-environment capacity to RUNNABLE jobs in queue order."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._used: dict[str, float] = {}
        self._waiting: list[_Waiting] = []
        self._counter = itertools.count()

    def acquire(self, job: Any, vcpus: float, order: float, cancelled: Any) -> Any:
        """Block until an environment has room; return it. `cancelled()` aborts the wait.

        `order` places the job in its queue (submission time, then array index).
        """
        environments = [
            e for e in ordered_environments(job.job_queue) if str(e.state).upper() == "ENABLED"
        ]
        if not environments:
            raise PlacementError(
                f"job queue {job.job_queue.name} has no ENABLED compute environment"
            )
        if all(vcpus > max_vcpus(e) for e in environments):
            largest = max(max_vcpus(e) for e in environments)
            raise PlacementError(
                f"job needs {vcpus:g} vCPUs; the compute environments of job queue "
                f"{job.job_queue.name} allow at most {largest:g} (maxvCpus)"
            )
        entry = _Waiting((order, _array_index(job), next(self._counter)), job.job_queue.arn, job)
        with self._condition:
            self._waiting.append(entry)
            try:
                while True:
                    if cancelled():
                        raise PlacementCancelled()
                    if self._is_first_of_queue(entry):
                        for environment in environments:
                            used = self._used.get(environment.arn, 0.0)
                            if used + vcpus <= max_vcpus(environment):
                                self._used[environment.arn] = used + vcpus
                                return environment
                    self._condition.wait(_WAIT_SECONDS)
            finally:
                self._waiting.remove(entry)
                self._condition.notify_all()

    def release(self, environment: Any, vcpus: float) -> None:
        with self._condition:
            self._used[environment.arn] = max(0.0, self._used.get(environment.arn, 0.0) - vcpus)
            self._condition.notify_all()

    def _is_first_of_queue(self, entry: _Waiting) -> bool:
        same_queue = [other for other in self._waiting if other.queue_arn == entry.queue_arn]
        return min(same_queue, key=lambda other: other.key) is entry


def _array_index(job: Any) -> int:
    index = (job.array_properties or {}).get("index")
    return int(index) if index is not None else -1
