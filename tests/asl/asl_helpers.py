"""Shared paths and rendering for the ASL tests."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STATEMACHINES = REPO / "statemachines"
BACKGROUND_TASK = STATEMACHINES / "background-task.asl.json"
CHAINED_STAGES = STATEMACHINES / "chained-stages.asl.json"
CORPUS = REPO.parent / "shared" / "asl-corpus"

ACCOUNT = "123456789012"
REGION = "us-east-1"
# Values as Terraform would fill them (docs/interfaces.md, "State machine templates").
_NAME = "bgtasks-local-thumbnails"
_BATCH = f"arn:aws:batch:{REGION}:{ACCOUNT}"
TEMPLATE_VARIABLES = {
    "metadata_function_arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{_NAME}-metadata",
    "job_queue_arn": f"{_BATCH}:job-queue/{_NAME}",
    "job_definition_arn": f"{_BATCH}:job-definition/{_NAME}:1",
    "stage_b_job_definition_arn": f"{_BATCH}:job-definition/{_NAME}-b:1",
    "stage_c_job_definition_arn": f"{_BATCH}:job-definition/{_NAME}-c:1",
    "failure_topic_arn": f"arn:aws:sns:{REGION}:{ACCOUNT}:{_NAME}-failures",
    "task_name": "thumbnails",
    "max_chunks": "100",
}
PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def render(path: Path, variables: dict[str, str] | None = None) -> str:
    """The file as Terraform's templatefile() would render it (every placeholder must be set)."""
    values = variables or TEMPLATE_VARIABLES
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], path.read_text(encoding="utf-8"))
