"""Read a Batch job's CloudWatch log stream: all of it, or its last lines."""

from __future__ import annotations

from typing import Any


def read_log_lines(logs: Any, group: str, stream: str, limit: int | None = None) -> list[str]:
    """The stream's messages, oldest first; only the last `limit` when given.

    Missing groups or streams give an empty list: a job that never started has no log.
    """
    kwargs: dict[str, Any] = {"logGroupName": group, "logStreamName": stream}
    if limit is None:
        kwargs["startFromHead"] = True
    else:
        kwargs["startFromHead"] = False
        kwargs["limit"] = limit
    lines: list[str] = []
    token: str | None = None
    while True:
        if token:
            kwargs["nextToken"] = token
        try:
            page = logs.get_log_events(**kwargs)
        except logs.exceptions.ResourceNotFoundException:
            return []
        messages = [str(e["message"]).rstrip("\n") for e in page.get("events", [])]
        lines.extend(messages)
        # The forward token repeats when the end is reached; a tail needs only one page.
        next_token = page.get("nextForwardToken")
        if limit is not None or not messages or next_token == token:
            break
        token = next_token
    return lines[-limit:] if limit is not None else lines
