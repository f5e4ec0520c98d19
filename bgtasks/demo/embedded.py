"""Make sure the embedded AWS runs for the demo, and know whether it is the one we applied to.

The embedded AWS keeps its resources in memory: after a restart, a Terraform state written
against the previous process describes resources that no longer exist. We record which server
(pid and start time, from its health endpoint) a state belongs to, and start from an empty
state when the server changed, so `apply` creates everything instead of chasing ghosts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bgtasks.local.launcher import LauncherError, status, up
from bgtasks.local.server import health
from bgtasks.local.settings import Settings


class EmbeddedAwsError(Exception):
    """The embedded AWS could not be started or reached."""


@dataclass(frozen=True)
class ServerIdentity:
    pid: int
    started: float

    def to_json(self) -> str:
        return json.dumps({"pid": self.pid, "started": self.started})


def ensure_running(settings: Settings) -> tuple[ServerIdentity, bool]:
    """Start the embedded AWS detached unless it runs; returns it and whether we started it."""
    started_here = False
    if not status(settings).running:
        try:
            up(settings, detach=True)
        except LauncherError as error:
            raise EmbeddedAwsError(str(error)) from error
        started_here = True
    record = health(settings.endpoint)
    if record is None:
        raise EmbeddedAwsError(f"the embedded AWS does not answer on {settings.endpoint}")
    return ServerIdentity(int(record["pid"]), float(record.get("started", 0.0))), started_here


def forget_stale_state(identity: ServerIdentity, marker: Path, state_file: Path) -> bool:
    """Remove `state_file` when it was written against another server; True when removed."""
    previous = marker.read_text() if marker.exists() else None
    stale = previous != identity.to_json()
    if stale:
        for path in (state_file, state_file.with_name(state_file.name + ".backup")):
            path.unlink(missing_ok=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(identity.to_json())
    return stale
