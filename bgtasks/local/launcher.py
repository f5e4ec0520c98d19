"""`bgtasks local up|down|status`: one embedded AWS per state directory, tracked by a pid file.

A second `up` while one runs says so and succeeds; a port taken by anything else is a clear
error. `down` stops only the process our pid file names, and only if it is ours.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from bgtasks.local.server import PortInUseError, StartupError, health, port_is_free, serve, spawn
from bgtasks.local.settings import Settings
from bgtasks.local.shims.shape import ShimShapeError

_STOP_WAIT_SECONDS = 10.0


class LauncherError(RuntimeError):
    """A launcher action failed; the message is one line for stderr."""


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    endpoint: str
    uptime_seconds: float | None = None


def read_pid(settings: Settings) -> int | None:
    try:
        return int(settings.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def status(settings: Settings) -> Status:
    record = health(settings.endpoint)
    pid = read_pid(settings)
    if record is not None and (pid is None or record.get("pid") == pid):
        started = float(record.get("started", time.time()))
        return Status(True, int(record["pid"]), settings.endpoint, time.time() - started)
    return Status(False, pid if pid is not None and _alive(pid) else None, settings.endpoint)


def up(settings: Settings, detach: bool) -> str:
    """Start the embedded AWS (detached: return once it answers). Returns a message."""
    current = status(settings)
    if current.running:
        return f"embedded AWS already running on {settings.endpoint} (pid {current.pid})"
    if not port_is_free(settings.host, settings.port):
        raise LauncherError(
            f"port {settings.port} on {settings.host} is in use by another process; "
            "stop it or choose another port (--port or BGTASKS_LOCAL_PORT)"
        )
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    if detach:
        try:
            process = spawn(settings, settings.log_file)
        except StartupError as error:
            raise LauncherError(str(error)) from error
        _write_pid(settings.pid_file, process.pid)
        return (
            f"embedded AWS running on {settings.endpoint} (pid {process.pid}, "
            f"log {settings.log_file})"
        )
    _write_pid(settings.pid_file, os.getpid())
    # `down` (or a service manager) stops a foreground server with SIGTERM: exit cleanly.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        serve(settings, on_ready=lambda: print(f"embedded AWS on {settings.endpoint}", flush=True))
    except (PortInUseError, ShimShapeError) as error:
        raise LauncherError(str(error)) from error
    finally:
        _remove_pid(settings.pid_file, os.getpid())
    return "embedded AWS stopped"


def down(settings: Settings) -> str:
    pid = read_pid(settings)
    if pid is None or not _alive(pid):
        settings.pid_file.unlink(missing_ok=True)
        return "embedded AWS is not running"
    record = health(settings.endpoint)
    if record is not None and record.get("pid") != pid:
        raise LauncherError(
            f"pid file names {pid}, but pid {record.get('pid')} answers on "
            f"{settings.endpoint}; not stopping an unknown process"
        )
    if record is None and not _is_our_server(pid):
        raise LauncherError(
            f"pid {pid} in {settings.pid_file} is not an embedded AWS; "
            "remove the pid file if it is stale"
        )
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + _STOP_WAIT_SECONDS
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    settings.pid_file.unlink(missing_ok=True)
    return f"embedded AWS stopped (pid {pid})"


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _is_our_server(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return False
    return b"bgtasks" in command


def _write_pid(path: Path, pid: int) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(f"{pid}\n")
    temporary.replace(path)


def _remove_pid(path: Path, pid: int) -> None:
    if path.exists() and path.read_text().strip() == str(pid):
        path.unlink()
