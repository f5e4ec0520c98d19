"""Per-tenant last-success records: `state/<task>/<tenant_id>.json` in the runs bucket.

`inputs` is the fingerprint of the inputs that run processed (same fingerprint: nothing new);
`data_as_of` is when its plan began, before it listed any input, and `newest_input` the newest
input time it saw. Plan mode skips a tenant whose inputs still have the recorded fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from metadata_fn.layout import state_key
from metadata_fn.logs import logger
from metadata_fn.s3json import get_json, put_json


@dataclass(frozen=True)
class LastSuccess:
    data_as_of: datetime
    inputs: str | None  # None in a record that carries no fingerprint


def read_last_success(s3: Any, runs_bucket: str, task: str, tenant_id: str) -> LastSuccess | None:
    """The tenant's last successful run; None if never, or if the record is unreadable.

    An unreadable record is logged and treated as absent: planning the tenant again is safe.
    """
    key = state_key(task, tenant_id)
    try:
        record = get_json(s3, runs_bucket, key)
        if record is None:
            return None
        moment = datetime.fromisoformat(record["data_as_of"])
        inputs = record.get("inputs")
        if moment.tzinfo is None:
            raise ValueError("data_as_of has no time zone")
    except (ClientError, ValueError, KeyError, TypeError, AttributeError) as error:
        logger.warning(
            "last-success record ignored", tenant_id=tenant_id, key=key, reason=str(error)
        )
        return None
    return LastSuccess(moment, inputs if isinstance(inputs, str) and inputs else None)


def write_last_success(
    s3: Any,
    runs_bucket: str,
    task: str,
    tenant_id: str,
    *,
    run_id: str,
    data_as_of: str,
    inputs: str | None,
    newest_input: str | None,
    now: str,
) -> None:
    record: dict[str, Any] = {
        "schema_version": 1,
        "tenant_id": tenant_id,
        "task": task,
        "run_id": run_id,
        "data_as_of": data_as_of,
        "recorded_at": now,
    }
    if inputs:
        record["inputs"] = inputs
    if newest_input:
        record["newest_input"] = newest_input
    put_json(s3, runs_bucket, state_key(task, tenant_id), record)
