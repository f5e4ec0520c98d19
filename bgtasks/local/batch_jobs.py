"""What a Batch job runs locally: its command, environment, retry decisions and log stream.

Pure helpers over moto's `Job` model, kept apart from the thread that drives a job
(`batch_compute`), so each rule can be read (and tested) on its own.
"""

from __future__ import annotations

import fnmatch
import os
import sys
import uuid
from typing import Any

from bgtasks.local.settings import REPO_ROOT, Settings, local_process_env

WORKER_REPOSITORY_SUFFIX = "bgtasks-worker"
DEFAULT_LOG_GROUP = "/aws/batch/job"


def repository_name(image: str) -> str:
    """`registry/path/name:tag@digest` -> `path/name` (the registry host dropped if present)."""
    without_digest = image.split("@", 1)[0]
    head, _, tail = without_digest.rpartition(":")
    if head and "/" not in tail:
        without_digest = head
    parts = without_digest.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    return "/".join(parts)


def is_worker_image(image: str) -> bool:
    return repository_name(image).endswith(WORKER_REPOSITORY_SUFFIX)


def container_property(
    job: Any, name: str, default: Any, node: dict[str, Any] | None = None
) -> Any:
    """A container property: the job's override over the job definition (or the node's)."""
    if node is not None:
        return node.get(name, default)
    overrides = job.container_overrides or {}
    if name in overrides and overrides[name] is not None:
        return overrides[name]
    return (job.job_definition.container_properties or {}).get(name, default)


def node_containers(job: Any) -> list[tuple[int, dict[str, Any]]]:
    """(node index, container properties) of every node of a multi-node parallel job."""
    properties = job.job_definition.node_properties or {}
    count = int(properties.get("numNodes") or 0)
    nodes: dict[int, dict[str, Any]] = {}
    for node_range in properties.get("nodeRangeProperties") or []:
        first, _, last = str(node_range.get("targetNodes", "")).partition(":")
        start = int(first) if first else 0
        end = (int(last) if last else count - 1) if ":" in str(node_range["targetNodes"]) else start
        for index in range(start, min(end, count - 1) + 1):
            nodes[index] = node_range.get("container") or {}
    missing = [index for index in range(count) if index not in nodes]
    if count < 1 or missing:
        raise ValueError(f"nodeRangeProperties cover no container for nodes {missing or [0]}")
    return sorted(nodes.items())


def main_node(job: Any) -> int:
    return int((job.job_definition.node_properties or {}).get("mainNode") or 0)


def _container_vcpus(container: dict[str, Any]) -> float:
    for requirement in container.get("resourceRequirements") or []:
        if requirement.get("type") == "VCPU":
            return float(requirement["value"])
    return float(container.get("vcpus") or 1)


def job_vcpus(job: Any) -> float:
    if job.job_definition.type == "multinode":
        return sum(_container_vcpus(container) for _, container in node_containers(job))
    for requirement in (job.container_overrides or {}).get("resourceRequirements") or []:
        if requirement.get("type") == "VCPU":
            return float(requirement["value"])
    value = job.job_definition._get_resource_requirement("vcpus", 1)
    return float(value or 1)


def command_for(job: Any, node: dict[str, Any] | None = None) -> tuple[list[str], str | None]:
    """(argv, working directory) for the job's (or node's) container on this host."""
    properties = node if node is not None else job.job_definition.container_properties or {}
    image = str(properties.get("image", ""))
    command = list(container_property(job, "command", [], node) or [])
    command = job._add_parameters_to_command(command)
    if is_worker_image(image):
        return [sys.executable, "-m", "worker", *command], str(REPO_ROOT)
    return [str(part) for part in command], None


def array_index(job: Any) -> int | None:
    index = (job.array_properties or {}).get("index")
    return int(index) if index is not None else None


def parent_id(job: Any) -> str | None:
    """The array parent's job id of a child (`<parent>:<index>`), else None."""
    if array_index(job) is None or ":" not in job.job_id:
        return None
    return str(job.job_id.rsplit(":", 1)[0])


def job_environment(
    job: Any,
    settings: Settings,
    attempt: int,
    secrets: dict[str, str],
    node: dict[str, Any] | None = None,
) -> dict[str, str]:
    """The container environment: definition, overrides, secrets, Batch's own variables."""
    definition_env: list[dict[str, Any]]
    override_env: list[dict[str, Any]]
    if node is not None:
        definition_env, override_env = node.get("environment") or [], []
    else:
        definition_env = (job.job_definition.container_properties or {}).get("environment") or []
        override_env = (job.container_overrides or {}).get("environment") or []
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": os.environ.get("HOME", "/tmp"),
    }
    env = local_process_env(settings, env)
    for pair in [*definition_env, *override_env]:
        env[str(pair["name"])] = str(pair.get("value", ""))
    env.update(secrets)
    env["AWS_BATCH_JOB_ID"] = job.job_id
    env["AWS_BATCH_JOB_ATTEMPT"] = str(attempt)
    env["AWS_BATCH_JQ_NAME"] = job.job_queue.name
    index = array_index(job)
    if index is not None:
        env["AWS_BATCH_JOB_ARRAY_INDEX"] = str(index)
    return env


def retry_strategy(job: Any) -> dict[str, Any]:
    """The job's retry strategy (its own, from SubmitJob, over the job definition's)."""
    own = getattr(job, "bgtasks_retry_strategy", None)
    return dict(own or job.job_definition.retry_strategy or {})


def should_retry(
    strategy: dict[str, Any], attempt: int, exit_code: int | None, status_reason: str, reason: str
) -> bool:
    """AWS's rule: attempts left, then the first matching `evaluateOnExit` decides; none: retry."""
    if attempt >= int(strategy.get("attempts") or 1):
        return False
    for rule in strategy.get("evaluateOnExit") or []:
        if _matches(rule, exit_code, status_reason, reason):
            return str(rule.get("action", "")).upper() == "RETRY"
    return True


def _matches(rule: dict[str, Any], exit_code: int | None, status_reason: str, reason: str) -> bool:
    checks = [
        ("onExitCode", "" if exit_code is None else str(exit_code)),
        ("onStatusReason", status_reason),
        ("onReason", reason),
    ]
    return all(fnmatch.fnmatchcase(value, str(rule[key])) for key, value in checks if key in rule)


def log_target(job: Any, node: dict[str, Any] | None = None) -> tuple[str, str]:
    """(log group, new stream name) for one attempt, as the awslogs driver names them."""
    properties = node if node is not None else job.job_definition.container_properties or {}
    log_config = properties.get("logConfiguration") or {}
    options = log_config.get("options") or {}
    group = options.get("awslogs-group", DEFAULT_LOG_GROUP)
    prefix = options.get("awslogs-stream-prefix", job.job_definition.name)
    return str(group), f"{prefix}/default/{uuid.uuid4().hex}"


def resolve_secrets(job: Any, node: dict[str, Any] | None = None) -> dict[str, str]:
    """`secrets` of the container, read from Secrets Manager or SSM Parameter Store."""
    from moto.secretsmanager.models import secretsmanager_backends
    from moto.ssm.models import ssm_backends

    account, region = job.backend.account_id, job.backend.region_name
    resolved: dict[str, str] = {}
    for secret in container_property(job, "secrets", [], node) or []:
        source = str(secret["valueFrom"])
        if ":secretsmanager:" in source:
            secret_id = ":".join(source.split(":")[:7])
            secrets_backend: Any = secretsmanager_backends[account][region]
            value = secrets_backend.get_secret_value(secret_id, None, None)
            resolved[secret["name"]] = str(value.get("SecretString", ""))
        else:
            name = source.split(":parameter", 1)[-1] if ":parameter" in source else source
            parameter = ssm_backends[account][region].get_parameter(name)
            if parameter is None:
                raise KeyError(f"SSM parameter {name} not found")
            resolved[secret["name"]] = str(parameter.value)
    return resolved
