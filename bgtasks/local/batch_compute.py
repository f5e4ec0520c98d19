"""Local Batch compute: each job's thread (moto's `Job.run` seam) runs it as a host process.

Statuses follow real Batch: SUBMITTED -> PENDING (waiting on dependencies) -> RUNNABLE (waiting
for vCPUs) -> STARTING -> RUNNING -> SUCCEEDED | FAILED, back to RUNNABLE between attempts.
Dependencies: whole-job, `N_TO_N` (child i after child i of the other array job) and
`SEQUENTIAL` (child i after child i-1). `retryStrategy` with `evaluateOnExit`,
`attemptDurationSeconds`, one CloudWatch log stream per attempt, exit codes and reasons in
`DescribeJobs`, and an array parent whose status and `statusSummary` follow its children.
A container killed from outside with SIGKILL stands for its host going away (a Spot reclaim):
the attempt ends with no exit code and the status reason `Host EC2 (instance ...) terminated.`,
as on AWS, so `evaluateOnExit` rules on `Host EC2*` retry it.
Every transition is appended to a JSON-lines file so tests can read what happened, in order.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bgtasks.local import batch_jobs
from bgtasks.local.batch_scheduler import PlacementCancelled, PlacementError, VcpuScheduler
from bgtasks.local.settings import Settings
from bgtasks.local.shims.shape import expect_function, is_patched, mark_patched

NAME = "batch_compute"
_POLL_SECONDS = 0.1
_REGISTER_WAIT_SECONDS = 2.0
_STOP_GRACE_SECONDS = 5.0
TERMINAL = ("SUCCEEDED", "FAILED")
DEPENDENCY_FAILED = "Dependent Job failed"
TIMEOUT_REASON = "Job attempt duration exceeded timeout"
# What AWS Batch reports when the instance under an attempt disappears (Spot reclaim).
HOST_TERMINATED_REASON = "Host EC2 (instance {instance}) terminated."


def host_terminated_reason(environment_name: str) -> str:
    """The status reason of an attempt whose host went away, naming a stand-in instance."""
    return HOST_TERMINATED_REASON.format(instance=f"i-local-{environment_name}")


class TransitionLog:
    """Status transitions of every job, in the order they happened (one JSON line each)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        path.parent.mkdir(parents=True, exist_ok=True)

    def set_status(self, job: Any, status: str, reason: str | None = None) -> None:
        with self._lock:
            job.status = status
            record = {
                "seq": next(self._seq),
                "time": round(time.time(), 4),
                "job_id": job.job_id,
                "job_name": job.job_name,
                "status": status,
            }
            if reason:
                record["reason"] = reason
            with self._path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")


def read_transitions(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class _StartFailure(Exception):
    """A container could not be started; the attempt fails with `reason`."""

    def __init__(self, reason: str, stream: str, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.stream = stream
        self.retryable = retryable


class _NodeRun:
    """One running container process (a job's, or one node's) and its collected output."""

    def __init__(
        self, is_main: bool, process: subprocess.Popen[str], log_group: str, stream: str
    ) -> None:
        self.is_main = is_main
        self.process = process
        self.log_group = log_group
        self.stream = stream
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        self.output.extend(self.process.stdout or [])

    def kill(self) -> None:
        """SIGKILL the container's whole process group (it runs in a session of its own)."""
        _signal_group(self.process, signal.SIGKILL)

    def stop(self) -> None:
        """End what still runs of the container (TERM, then KILL) and collect its output."""
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(_STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        # Children the main process left behind would hold the output pipe open.
        _signal_group(self.process, signal.SIGKILL)
        self.process.wait()
        self._reader.join(5)


def _signal_group(process: subprocess.Popen[str], signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


class LocalBatch:
    """Runs moto Batch jobs on this host, bounded by each compute environment's maxvCpus."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.scheduler = VcpuScheduler()
        self.transitions = TransitionLog(settings.transition_log)
        self._parent_lock = threading.Lock()

    # -- the job's thread ----------------------------------------------------------------------
    def run(self, job: Any) -> None:
        try:
            registered = getattr(job, "bgtasks_registered", None)
            if registered is not None:
                registered.wait(_REGISTER_WAIT_SECONDS)
            self._run(job)
        except Exception as error:  # a bug here must fail the job, never leave it hanging
            self._finish(job, False, f"embedded AWS error: {error!r}")

    def _run(self, job: Any) -> None:
        if job.job_definition.type == "multinode":
            try:
                batch_jobs.node_containers(job)
            except ValueError as error:
                self._finish(job, False, f"invalid nodeProperties: {error}")
                return
        elif job.job_definition.container_properties is None:
            self._finish(job, False, "The embedded AWS runs container job definitions only")
            return
        job.bgtasks_awaits_dependencies = bool(self._dependency_ids(job))
        self._set(job, "PENDING")
        if not self._wait_for_dependencies(job):
            return
        job.bgtasks_awaits_dependencies = False
        strategy = batch_jobs.retry_strategy(job)
        self._set(job, "RUNNABLE")
        attempt = 1
        while self._attempt(job, attempt, strategy):
            attempt += 1

    def _attempt(self, job: Any, attempt: int, strategy: dict[str, Any]) -> bool:
        """Run one attempt on placed capacity; True when the job goes back to RUNNABLE.

        The attempt's end (SUCCEEDED, FAILED or RUNNABLE again) is recorded before its vCPUs
        are released, and STARTING is recorded when they are taken: the transition log alone
        then shows how many jobs held capacity at any moment.
        """
        vcpus = batch_jobs.job_vcpus(job)
        try:
            environment = self.scheduler.acquire(
                job, vcpus, lambda: self._stopped(job), lambda: self._set(job, "STARTING")
            )
        except PlacementCancelled:
            self._finish(job, False, job.job_stopped_reason or "Terminated")
            return False
        except PlacementError as error:
            self._finish(job, False, str(error))
            return False
        try:
            outcome = self._execute(job, attempt, environment)
            if outcome is None:
                return False  # finished (terminated) inside the attempt
            exit_code, status_reason, reason, retryable = outcome
            if exit_code == 0:
                self._finish(job, True, None)
                return False
            if retryable and batch_jobs.should_retry(
                strategy, attempt, exit_code, status_reason, reason
            ):
                self._set(job, "RUNNABLE")
                return True
            self._finish(job, False, status_reason)
            return False
        finally:
            self.scheduler.release(environment, vcpus)

    def _execute(
        self, job: Any, attempt: int, environment: Any
    ) -> tuple[int | None, str, str, bool] | None:
        """One attempt: start the container (or every node), supervise it, record the attempt."""
        started = time.time()
        job.job_started_at = datetime.now()
        try:
            nodes = self._start_nodes(job, attempt, environment)
        except _StartFailure as failure:
            self._record_attempt(job, failure.stream, None, failure.reason, started, time.time())
            return None, failure.reason, failure.reason, failure.retryable
        main = next(node for node in nodes if node.is_main)
        job.log_stream_name = main.stream
        self._set(job, "RUNNING")
        deadline = _deadline(job, started)
        status_reason = ""
        while main.process.poll() is None:
            if self._stopped(job):
                status_reason = job.job_stopped_reason or "Terminated"
            elif deadline is not None and time.time() > deadline:
                status_reason = TIMEOUT_REASON
            if status_reason:
                main.kill()
            time.sleep(_POLL_SECONDS)
        # The main node decides; the other nodes of a multi-node job end with it.
        for node in nodes:
            node.stop()
            _write_log(job, node.log_group, node.stream, node.output)
        stopped = time.time()
        exit_code = main.process.returncode
        if status_reason:
            self._record_attempt(job, main.stream, exit_code, status_reason, started, stopped)
            if self._stopped(job):
                self._finish(job, False, status_reason)
                return None
            return exit_code, status_reason, status_reason, False  # timeouts are not retried
        if exit_code == -signal.SIGKILL:
            # Killed from outside, not by us: the local stand-in for a reclaimed Spot host. AWS
            # reports no exit code then, only the host's termination.
            reason = host_terminated_reason(environment.name)
            self._record_attempt(job, main.stream, None, reason, started, stopped)
            return None, reason, reason, True
        job.exit_code = exit_code
        reason = "" if exit_code == 0 else "Essential container in task exited"
        self._record_attempt(job, main.stream, exit_code, reason, started, stopped)
        return exit_code, reason, reason, True

    def _start_nodes(self, job: Any, attempt: int, environment: Any) -> list[_NodeRun]:
        """Start the job's container, or every node of a multi-node parallel job."""
        multinode = job.job_definition.type == "multinode"
        containers: list[tuple[int, dict[str, Any] | None]] = (
            list(batch_jobs.node_containers(job)) if multinode else [(0, None)]
        )
        main_index = batch_jobs.main_node(job) if multinode else 0
        nodes: list[_NodeRun] = []
        try:
            for index, container in containers:
                nodes.append(
                    self._start_node(
                        job,
                        attempt,
                        environment,
                        index,
                        container,
                        main_index,
                        len(containers) if multinode else 0,
                    )
                )
        except _StartFailure:
            for node in nodes:
                node.stop()
            raise
        return nodes

    def _start_node(
        self,
        job: Any,
        attempt: int,
        environment: Any,
        index: int,
        container: dict[str, Any] | None,
        main_index: int,
        num_nodes: int,
    ) -> _NodeRun:
        log_group, stream = batch_jobs.log_target(job, container)
        argv, cwd = batch_jobs.command_for(job, container)
        if not argv:
            raise _StartFailure(
                "CannotStartContainerError: the job has no command to run", stream, retryable=False
            )
        try:
            secrets = batch_jobs.resolve_secrets(job, container)
        except Exception as error:
            raise _StartFailure(
                f"ResourceInitializationError: unable to pull secrets: {error}", stream
            ) from error
        env = batch_jobs.job_environment(job, self.settings, attempt, secrets, container)
        env["AWS_BATCH_CE_NAME"] = environment.name
        if num_nodes:
            env["AWS_BATCH_JOB_NODE_INDEX"] = str(index)
            env["AWS_BATCH_JOB_MAIN_NODE_INDEX"] = str(main_index)
            env["AWS_BATCH_JOB_NUM_NODES"] = str(num_nodes)
            if index != main_index:
                # Every node runs on this host: the main node's address is the loopback.
                env["AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS"] = "127.0.0.1"
        try:
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                errors="replace",
                start_new_session=True,
            )
        except OSError as error:
            raise _StartFailure(f"CannotStartContainerError: {error}", stream) from error
        return _NodeRun(index == main_index, process, log_group, stream)

    # -- dependencies --------------------------------------------------------------------------
    def _wait_for_dependencies(self, job: Any) -> bool:
        awaited = self._dependency_ids(job)
        while awaited:
            if self._stopped(job):
                self._finish(job, False, job.job_stopped_reason or "Terminated")
                return False
            for dependency_id in list(awaited):
                other = job.all_jobs.get(dependency_id)
                status = other.status if other is not None else None
                if status == "SUCCEEDED":
                    awaited.discard(dependency_id)
                elif status == "FAILED":
                    self._finish(job, False, DEPENDENCY_FAILED)
                    return False
            time.sleep(_POLL_SECONDS)
        return True

    def _dependency_ids(self, job: Any) -> set[str]:
        index = batch_jobs.array_index(job)
        parent = batch_jobs.parent_id(job)
        ids: set[str] = set()
        for dependency in job.depends_on or []:
            kind = str(dependency.get("type", "")).upper()
            other = dependency.get("jobId")
            if kind == "SEQUENTIAL" and index is not None and parent:
                if index > 0:
                    ids.add(f"{parent}:{index - 1}")
            elif kind == "N_TO_N" and index is not None and other:
                ids.add(f"{str(other).rsplit('/', 1)[-1]}:{index}")
            elif other:
                ids.add(str(other).rsplit("/", 1)[-1])
        return ids

    # -- statuses ------------------------------------------------------------------------------
    def _set(self, job: Any, status: str, reason: str | None = None) -> None:
        self.transitions.set_status(job, status, reason)
        self._update_parent(job)

    def _finish(self, job: Any, success: bool, reason: str | None) -> None:
        if job.job_stopped:
            return
        job.job_stopped_reason = reason or job.job_stopped_reason
        job.job_stopped_at = datetime.now()
        job.job_stopped = True
        self._set(job, "SUCCEEDED" if success else "FAILED", None if success else reason)

    def _stopped(self, job: Any) -> bool:
        if job.stop:
            return True
        parent = job.all_jobs.get(batch_jobs.parent_id(job) or "")
        if parent is not None and parent.stop:
            job.job_stopped_reason = parent.job_stopped_reason
            return True
        return False

    def _update_parent(self, child: Any) -> None:
        parent = child.all_jobs.get(batch_jobs.parent_id(child) or "")
        if parent is None:
            return
        with self._parent_lock:
            # moto attaches the children to the parent only once all have started.
            children = parent._child_jobs or [
                job
                for key, job in list(child.all_jobs.items())
                if key.startswith(parent.job_id + ":")
            ]
            statuses = [job._status for job in children]
            size = int((parent.array_properties or {}).get("size") or len(children))
            if len(children) == size and all(s in TERMINAL for s in statuses):
                failed = [job for job in children if job._status == "FAILED"]
                if failed and not parent.job_stopped:
                    first = min(failed, key=lambda job: batch_jobs.array_index(job) or 0)
                    self._stop_parent(
                        parent,
                        False,
                        (
                            f"Array Child Job failed: {len(failed)} of {size} children failed; "
                            f"child {batch_jobs.array_index(first)}: {first.job_stopped_reason}"
                        ),
                    )
                elif not failed:
                    self._stop_parent(parent, True, None)
                return
            if parent.job_stopped:
                return
            wanted = (
                "RUNNING"
                if any(s in ("STARTING", "RUNNING", *TERMINAL) for s in statuses)
                else "PENDING"
            )
            if parent._status != wanted and parent._status != "RUNNING":
                if wanted == "RUNNING":
                    parent.job_started_at = datetime.now()
                self.transitions.set_status(parent, wanted)

    def _stop_parent(self, parent: Any, success: bool, reason: str | None) -> None:
        parent.job_stopped_reason = reason
        parent.job_stopped_at = datetime.now()
        parent.job_stopped = True
        self.transitions.set_status(parent, "SUCCEEDED" if success else "FAILED", reason)

    @staticmethod
    def _record_attempt(
        job: Any, stream: str, exit_code: int | None, reason: str, started: float, stopped: float
    ) -> None:
        container: dict[str, Any] = {"logStreamName": stream, "networkInterfaces": []}
        if exit_code is not None:
            container["exitCode"] = exit_code
        if reason:
            container["reason"] = reason
        attempt: dict[str, Any] = {
            "container": container,
            "startedAt": int(started * 1000),
            "stoppedAt": int(stopped * 1000),
        }
        if reason:
            attempt["statusReason"] = reason
        job.attempts.append(attempt)


def _deadline(job: Any, started: float) -> float | None:
    seconds = job._get_attempt_duration()
    return started + float(seconds) if seconds else None


def _write_log(job: Any, group: str, stream: str, lines: list[str]) -> None:
    logs = job._log_backend
    logs.ensure_log_group(group)
    logs.create_log_stream(group, stream)
    now = int(time.time() * 1000)
    events = [{"timestamp": now, "message": line.rstrip("\n")} for line in lines if line.strip()]
    if events:
        logs.put_log_events(group, stream, events)


def install(settings: Settings) -> LocalBatch:
    """Replace moto's Docker-only `Job.run` with local compute; fix what `describe` shows."""
    from moto.batch.models import Job
    from moto.batch.responses import BatchResponse

    local = LocalBatch(settings)
    if is_patched(Job, "run"):
        return local
    expect_function(Job, "run", ["self"], NAME)
    original_init = expect_function(Job, "__init__", ["self", "name", "job_def", "job_queue"], NAME)
    original_describe = expect_function(Job, "describe", ["self"], NAME)
    original_property = expect_function(
        Job, "_get_container_property", ["self", "p", "default"], NAME
    )
    original_submit = expect_function(BatchResponse, "submitjob", ["self"], NAME)
    for attribute in ("_get_attempt_duration", "_add_parameters_to_command"):
        expect_function(Job, attribute, ["self"], NAME)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        # Set before the thread starts: the run waits until SubmitJob has attached its extras.
        self.bgtasks_registered = threading.Event()
        self.bgtasks_retry_strategy = None
        self.bgtasks_awaits_dependencies = False
        self.bgtasks_placed = False
        original_init(self, *args, **kwargs)

    def run(self: Any) -> None:
        local.run(self)

    def describe(self: Any) -> dict[str, Any]:
        result: dict[str, Any] = original_describe(self)
        container = result.get("container")
        if isinstance(container, dict) and self.job_definition.type in ("container", "multinode"):
            if self.exit_code is not None:
                container["exitCode"] = self.exit_code
            if self.status == "FAILED" and self.job_stopped_reason:
                container.setdefault("reason", self.job_stopped_reason)
        index = batch_jobs.array_index(self)
        if index is not None and not self._child_jobs:
            result["arrayProperties"] = {"index": index}
        if self.bgtasks_retry_strategy or self.job_definition.retry_strategy:
            result["retryStrategy"] = batch_jobs.retry_strategy(self)
        return result

    def _get_container_property(self: Any, p: str, default: Any) -> Any:
        if p != "environment":
            return original_property(self, p, default)
        # moto's version appends to the override list on every call (it grows per describe).
        merged = {
            e["name"]: e.get("value", "")
            for e in (self.job_definition.container_properties or {}).get("environment") or []
        }
        merged.update(
            {
                e["name"]: e.get("value", "")
                for e in (self.container_overrides or {}).get("environment") or []
            }
        )
        merged["AWS_BATCH_JOB_ID"] = self.job_id
        return [{"name": name, "value": value} for name, value in merged.items()]

    def submitjob(self: Any) -> str:
        response = original_submit(self)
        job_id = json.loads(response)["jobId"]
        strategy = self._get_param("retryStrategy")
        jobs = self.batch_backend._jobs
        for key, job in list(jobs.items()):
            if key == job_id or key.startswith(job_id + ":"):
                job.bgtasks_retry_strategy = strategy
                job.bgtasks_registered.set()
        return str(response)

    Job.__init__ = mark_patched(__init__, NAME)  # type: ignore[method-assign]
    Job.run = mark_patched(run, NAME)  # type: ignore[method-assign]
    Job.describe = mark_patched(describe, NAME)  # type: ignore[method-assign]
    Job._get_container_property = mark_patched(  # type: ignore[method-assign]
        _get_container_property, NAME
    )
    BatchResponse.submitjob = mark_patched(submitjob, NAME)  # type: ignore[method-assign]
    return local
