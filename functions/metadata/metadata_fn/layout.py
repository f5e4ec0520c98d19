"""Keys of the runs bucket (docs/interfaces.md, "Runs bucket layout")."""

from __future__ import annotations

import re

RUN_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
TASK = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def chunks_prefix(run_id: str) -> str:
    return f"runs/{run_id}/chunks/"


def chunk_key(run_id: str, index: int) -> str:
    return f"runs/{run_id}/chunks/{index}.json"


def manifest_key(run_id: str) -> str:
    return f"runs/{run_id}/chunks/manifest.json"


def plan_key(run_id: str) -> str:
    return f"runs/{run_id}/plan.json"


def result_key(run_id: str, index: int) -> str:
    return f"runs/{run_id}/results/{index}.json"


def report_key(run_id: str) -> str:
    return f"runs/{run_id}/report.json"


def state_key(task: str, tenant_id: str) -> str:
    return f"state/{task}/{tenant_id}.json"
