"""Structured logs: one JSON object per line on stdout (stderr is kept for the error line)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any, TextIO


class JsonLogger:
    """Every line carries the bound keys (run_id, index) plus the call's own (tenant_id...)."""

    def __init__(self, stream: TextIO | None = None, **bound: Any) -> None:
        self._stream = stream if stream is not None else sys.stdout
        self._bound = bound

    def bind(self, **keys: Any) -> JsonLogger:
        return JsonLogger(self._stream, **{**self._bound, **keys})

    def info(self, message: str, **keys: Any) -> None:
        self._write("INFO", message, keys)

    def warning(self, message: str, **keys: Any) -> None:
        self._write("WARNING", message, keys)

    def _write(self, level: str, message: str, keys: dict[str, Any]) -> None:
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": level,
            "message": message,
            **self._bound,
            **keys,
        }
        self._stream.write(json.dumps(line, default=str) + "\n")
        self._stream.flush()
