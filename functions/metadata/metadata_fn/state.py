"""Per-tenant last-success records: `state/<task>/<tenant_id>.json` in the runs bucket.

`data_as_of` is when the successful run's plan began, before it listed any input: everything
changed before that moment was in the run, so a later plan can compare it with input times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from metadata_fn.layout import state_key
from metadata_fn.logs import logger
from metadata_fn.s3json import get_json, put_json


def read_last_success(s3: Any, runs_bucket: str, task: str, tenant_id: str) -> datetime | None:
    """When the data of the tenant's last successful run was taken; None if never or unreadable.

    An unreadable record is logged and treated as absent: planning the tenant again is safe.
    """
    key = state_key(task, tenant_id)
    try:
        record = get_json(s3, runs_bucket, key)
        if record is None:
            return None
        moment = datetime.fromisoformat(record["data_as_of"])
    except (ClientError, ValueError, KeyError, TypeError) as error:
        logger.warning(
            "last-success record ignored", tenant_id=tenant_id, key=key, reason=str(error)
        )
        return None
    if moment.tzinfo is None:
        logger.warning(
            "last-success record ignored", tenant_id=tenant_id, key=key, reason="naive time"
        )
        return None
    return moment


def write_last_success(
    s3: Any, runs_bucket: str, task: str, tenant_id: str, run_id: str, data_as_of: str, now: str
) -> None:
    record = {
        "schema_version": 1,
        "tenant_id": tenant_id,
        "task": task,
        "run_id": run_id,
        "data_as_of": data_as_of,
        "recorded_at": now,
    }
    put_json(s3, runs_bucket, state_key(task, tenant_id), record)
