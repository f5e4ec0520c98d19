"""Structured logs: one JSON object per line on stdout (CloudWatch keeps each as one event).

Powertools style: a module-level logger, per-invocation keys (`run_id`, the request id) set
once by the handler and repeated in every line, `tenant_id` passed on every line about a
tenant. stdlib only, so the Lambda zip stays small.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any


class Logger:
    def __init__(self, service: str) -> None:
        self.service = service
        self._keys: dict[str, Any] = {}

    def reset(self, **keys: Any) -> None:
        """Start an invocation: forget the previous one's keys, keep these."""
        self._keys = dict(keys)

    def append_keys(self, **keys: Any) -> None:
        self._keys.update(keys)

    def info(self, message: str, **fields: Any) -> None:
        self._emit("INFO", message, fields)

    def warning(self, message: str, **fields: Any) -> None:
        self._emit("WARNING", message, fields)

    def error(self, message: str, **fields: Any) -> None:
        self._emit("ERROR", message, fields)

    def _emit(self, level: str, message: str, fields: dict[str, Any]) -> None:
        record: dict[str, Any] = {
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": level,
            "service": self.service,
            "message": message,
        }
        record.update(self._keys)
        record.update(fields)
        # sys.stdout is looked up per line so that test capture sees every line.
        sys.stdout.write(json.dumps(record, default=str, sort_keys=False) + "\n")
        sys.stdout.flush()


logger = Logger("bgtasks-metadata")
