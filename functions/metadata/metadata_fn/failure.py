"""Failure mode: a state caught an error; write the run report (FAILED, with the reason) and
return the one message the state machine publishes to SNS."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from metadata_fn.events import FailureRequest
from metadata_fn.layout import report_key
from metadata_fn.logs import logger
from metadata_fn.s3json import put_json, s3_uri

MAX_CAUSE = 500  # characters of the cause in the message; the report keeps more


def failure_reason(error: str, cause: str) -> str:
    """`Error: message`, where a Lambda's JSON cause is reduced to its errorMessage."""
    text = cause.strip()
    try:
        decoded = json.loads(text) if text.startswith("{") else None
    except json.JSONDecodeError:
        decoded = None
    if isinstance(decoded, dict):
        for name in ("errorMessage", "StatusReason", "message"):
            if isinstance(decoded.get(name), str) and decoded[name]:
                text = decoded[name]
                break
    text = " ".join(text.split())
    if len(text) > MAX_CAUSE:
        text = text[: MAX_CAUSE - 3] + "..."
    return f"{error}: {text}" if text else error


def run_failure(
    request: FailureRequest,
    runs_bucket: str,
    s3: Any,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> dict[str, Any]:
    reason = failure_reason(request.error, request.cause)
    message = f"bgtasks {request.task} run {request.run_id} failed: {reason}"
    report = {
        "schema_version": 1,
        "run_id": request.run_id,
        "task": request.task,
        "status": "FAILED",
        "finished_at": now().isoformat(),
        "error": {"Error": request.error, "Cause": request.cause[:10_000]},
        "message": message,
    }
    put_json(s3, runs_bucket, report_key(request.run_id), report)
    report_uri = s3_uri(runs_bucket, report_key(request.run_id))
    logger.error("run failed", error=request.error, reason=reason, report_uri=report_uri)
    return {
        "run_id": request.run_id,
        "report_uri": report_uri,
        "status": "FAILED",
        "message": message,
    }
