"""vCPU-bounded placement of Batch jobs on compute environments, as real Batch does it.

A job that is RUNNABLE waits here until a compute environment of its queue (in the queue's
`computeEnvironmentOrder`) has `maxvCpus` room for it. Jobs of one queue start in submission
order (moto's `JobQueue.jobs`, appended at SubmitJob): a job never overtakes an earlier job of
the same queue that is RUNNABLE or not yet evaluated; jobs waiting on dependencies do not block
(`bgtasks_awaits_dependencies`, set by the job's thread). Between queues that share a compute
environment, a waiting job of a higher-priority queue goes first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

# Without a `maxvCpus` (unmanaged environments), allow this many vCPUs at once.
UNBOUNDED_VCPUS = 256.0
_WAIT_SECONDS = 0.2


class PlacementError(Exception):
    """The job can never be placed (it needs more vCPUs than any environment has)."""


class PlacementCancelled(Exception):
    """The job was terminated while it waited for capacity."""


_NOT_YET_PLACED = ("SUBMITTED", "PENDING", "RUNNABLE")


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
        # Per queue: how many of its first jobs will never wait for capacity again.
        self._settled: dict[str, int] = {}
        self._waiting: dict[int, Any] = {}  # id(job) -> job, for queue priorities

    def acquire(
        self,
        job: Any,
        vcpus: float,
        cancelled: Callable[[], bool],
        on_placed: Callable[[], None],
    ) -> Any:
        """Block until an environment has room; return it. `cancelled()` aborts the wait.

        `on_placed()` runs under the scheduler's lock as capacity is taken, so what it records
        is ordered with every other placement and release.
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
        with self._condition:
            job.bgtasks_placed = False
            self._waiting[id(job)] = job
            try:
                while True:
                    if cancelled():
                        raise PlacementCancelled()
                    if not self._earlier_job_waits(job):
                        for environment in environments:
                            if self._outranked(job, environment):
                                continue
                            used = self._used.get(environment.arn, 0.0)
                            if used + vcpus <= max_vcpus(environment):
                                self._used[environment.arn] = used + vcpus
                                job.bgtasks_placed = True
                                on_placed()
                                return environment
                    self._condition.wait(_WAIT_SECONDS)
            finally:
                self._waiting.pop(id(job), None)
                self._condition.notify_all()

    def release(self, environment: Any, vcpus: float) -> None:
        with self._condition:
            self._used[environment.arn] = max(0.0, self._used.get(environment.arn, 0.0) - vcpus)
            self._condition.notify_all()

    def _outranked(self, job: Any, environment: Any) -> bool:
        """Whether a job of a higher-priority queue also waits for `environment`."""
        priority = _priority(job.job_queue)
        for other in self._waiting.values():
            queue = other.job_queue
            if _priority(queue) > priority and any(
                candidate.arn == environment.arn for candidate in queue.environments
            ):
                return True
        return False

    def _earlier_job_waits(self, job: Any) -> bool:
        """Whether a job submitted to the same queue before `job` still waits for capacity."""
        queue = job.job_queue
        jobs = queue.jobs
        start = self._settled.get(queue.arn, 0)
        settled_so_far = True
        for position in range(start, len(jobs)):
            other = jobs[position]
            if other is job:
                return False
            if _never_waits_again(other):
                if settled_so_far:
                    self._settled[queue.arn] = position + 1
                continue
            settled_so_far = False
            if getattr(other, "bgtasks_awaits_dependencies", False):
                continue
            if other._status in _NOT_YET_PLACED and not getattr(other, "bgtasks_placed", False):
                return True
        return False


def _priority(queue: Any) -> int:
    try:
        return int(queue.priority)
    except (TypeError, ValueError):
        return 0


def _never_waits_again(job: Any) -> bool:
    if "size" in (job.array_properties or {}):
        return True  # an array parent: only its children run
    return bool(job.job_stopped or getattr(job, "bgtasks_placed", False))
