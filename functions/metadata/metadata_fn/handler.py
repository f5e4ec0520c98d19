"""The metadata Lambda's entry point: `metadata_fn.handler.handler`, modes plan, summary and
failure (docs/interfaces.md). Errors are raised, not returned: Step Functions catches them by
class name (`ManifestError`, `BadEventError`, ...), with the one-line message as the cause."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config as BotoConfig

from metadata_fn.config import load_config
from metadata_fn.events import event_mode, parse_failure, parse_plan, parse_summary
from metadata_fn.failure import run_failure
from metadata_fn.logs import logger
from metadata_fn.plan_mode import run_plan
from metadata_fn.summary import run_summary

# Room for the thread pools' parallel S3 calls; standard retries for throttling.
BOTO_CONFIG = BotoConfig(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=32)


def handler(event: Any, context: Any) -> dict[str, Any]:
    run_id = event.get("run_id") if isinstance(event, dict) else None
    logger.reset(
        run_id=run_id if isinstance(run_id, str) else None,
        mode=event.get("mode") if isinstance(event, dict) else None,
        function_request_id=getattr(context, "aws_request_id", None),
    )
    try:
        mode = event_mode(event)
        config = load_config()
        s3 = boto3.client("s3", config=BOTO_CONFIG)
        if mode == "plan":
            return run_plan(
                parse_plan(event), config, s3, lambda: boto3.client("dynamodb", config=BOTO_CONFIG)
            )
        if mode == "summary":
            return run_summary(parse_summary(event), s3)
        return run_failure(parse_failure(event), config.runs_bucket, s3)
    except Exception as error:
        # One line that names the failure, then let the runtime report it to Step Functions.
        logger.error("invocation failed", error=type(error).__name__, reason=str(error))
        raise
