"""A request log for the embedded AWS: one JSON line per request (method, service, action,
status, milliseconds), so every call moto does not answer well is visible.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d+/[^/]+/([^/]+)/")
_FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def service_of(environ: dict[str, Any]) -> str:
    """The signing service of a request (`states`, `batch`...), or '' when unsigned."""
    match = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else ""


def action_of(environ: dict[str, Any], body: bytes) -> str:
    """The API action: the JSON target, the query `Action`, else `METHOD /path`."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return target.rsplit(".", 1)[-1]
    query_action = parse_qs(environ.get("QUERY_STRING", "")).get("Action")
    if query_action:
        return query_action[0]
    if environ.get("CONTENT_TYPE", "").startswith(_FORM_CONTENT_TYPE) and body:
        form_action = parse_qs(body.decode("utf-8", "replace")).get("Action")
        if form_action:
            return form_action[0]
    # REST APIs (S3, Lambda, Batch...): the method, path and query keys (S3 sub-resources).
    keys = sorted(parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    query = "?" + "&".join(keys) if keys else ""
    return f"{environ.get('REQUEST_METHOD', '')} {environ.get('PATH_INFO', '')}{query}"


class RequestLog:
    """Wraps a WSGI app and appends one line per request to `path`."""

    def __init__(self, app: WsgiApp, path: Path) -> None:
        self._app = app
        self._path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        body = b""
        if environ.get("CONTENT_TYPE", "").startswith(_FORM_CONTENT_TYPE):
            # Form bodies carry the action; read it and hand the app an identical stream.
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
        status_holder: list[str] = []

        def recording_start_response(status: str, headers: Any, *rest: Any) -> Any:
            status_holder.append(status)
            return start_response(status, headers, *rest)

        try:
            return self._app(environ, recording_start_response)
        finally:
            self._write(
                {
                    "time": round(time.time(), 3),
                    "method": environ.get("REQUEST_METHOD", ""),
                    "service": service_of(environ),
                    "action": action_of(environ, body),
                    "status": int(status_holder[0].split()[0]) if status_holder else 500,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                }
            )

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":")) + "\n"
        with self._lock, self._path.open("a", encoding="utf-8") as handle:
            handle.write(line)


def read_request_log(path: Path) -> list[dict[str, Any]]:
    """Every record of a request log, oldest first."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def summarize(records: list[dict[str, Any]], top: int = 5) -> str:
    """One line: how many requests, how many failed, and the most frequent failing actions."""
    failing: dict[str, int] = {}
    for record in records:
        if int(record.get("status", 500)) >= 400:
            key = f"{record.get('service') or '?'}:{record.get('action')} {record.get('status')}"
            failing[key] = failing.get(key, 0) + 1
    text = f"{len(records)} requests, {sum(failing.values())} answered 4xx/5xx"
    if failing:
        worst = sorted(failing.items(), key=lambda item: (-item[1], item[0]))[:top]
        text += "; most frequent: " + ", ".join(f"{key} x{count}" for key, count in worst)
    return text
