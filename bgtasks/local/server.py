"""The embedded AWS server: moto's WSGI app with our settings, shims, compute and triggers.

`build_app(settings)` prepares this process (settings, shims, local compute) and returns the
WSGI app; `serve(settings)` runs it on 127.0.0.1 until stopped. `EmbeddedAws` starts one in a
subprocess for tests and the demo (`.endpoint`, `.stop()`).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bgtasks.local.requestlog import RequestLog, WsgiApp
from bgtasks.local.settings import Settings, apply_moto_settings

HEALTH_PATH = "/_bgtasks/health"
# moto's API to change its config at run time: refused, the settings are fixed at start.
MOTO_CONFIG_PATH = "/moto-api/config"
SERVER_MODULE = "bgtasks.local.serve"


class PortInUseError(RuntimeError):
    """The port is taken by another process."""


class StartupError(RuntimeError):
    """The server process did not come up."""


class HealthEndpoint:
    """Answers `GET /_bgtasks/health` with who we are, refuses changes to moto's config at run
    time (flipping `execute_state_machine` or `use_docker` would hide every resource), and
    passes everything else to moto."""

    def __init__(self, app: WsgiApp, info: dict[str, Any]) -> None:
        self._app = app
        self._info = info

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            body = json.dumps(self._info).encode()
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        if environ.get("PATH_INFO") == MOTO_CONFIG_PATH and environ.get("REQUEST_METHOD") == "POST":
            body = b"the embedded AWS fixes moto's settings at start; restart it to change them\n"
            start_response(
                "403 Forbidden",
                [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return self._app(environ, start_response)


def build_app(settings: Settings) -> tuple[WsgiApp, list[str]]:
    """Fix settings, apply shims and local compute; return (WSGI app, names of what is patched)."""
    apply_moto_settings(settings)
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from bgtasks.local import batch_compute, lambda_compute, shims

    patched = shims.apply_all()
    lambda_compute.install(settings)
    batch_compute.install(settings)
    patched += [lambda_compute.NAME, batch_compute.NAME]
    moto_app = DomainDispatcherApplication(create_backend_app)
    info = {
        "service": "bgtasks-embedded-aws",
        "pid": os.getpid(),
        "port": settings.port,
        "started": time.time(),
        "state_dir": str(settings.state_dir),
        "patched": patched,
    }
    return HealthEndpoint(RequestLog(moto_app, settings.request_log), info), patched


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def serve(settings: Settings, on_ready: Callable[[], None] | None = None) -> None:
    """Serve until interrupted. Raises PortInUseError when the port is taken."""
    from werkzeug.serving import make_server

    from bgtasks.local.schedules import ScheduleRunner

    settings.state_dir.mkdir(parents=True, exist_ok=True)
    if not port_is_free(settings.host, settings.port):
        raise PortInUseError(f"port {settings.port} on {settings.host} is already in use")
    # Each server starts with its own logs (the previous run's are kept once, as *.previous).
    for log in (settings.request_log, settings.transition_log):
        if log.exists():
            log.replace(log.with_name(log.name + ".previous"))
    app, _ = build_app(settings)
    try:
        server = make_server(settings.host, settings.port, app, threaded=True)
    except OSError as error:
        raise PortInUseError(
            f"cannot listen on {settings.host}:{settings.port}: {error}"
        ) from error
    schedules = ScheduleRunner(settings)
    schedules.start()
    if on_ready is not None:
        on_ready()
    try:
        server.serve_forever()
    finally:
        schedules.stop()
        server.server_close()


def health(endpoint: str, timeout: float = 1.0) -> dict[str, Any] | None:
    """The health record of an embedded AWS at `endpoint`, or None if none answers there."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(endpoint + HEALTH_PATH, timeout=timeout) as response:
            record = json.loads(response.read())
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return record if isinstance(record, dict) and record.get("service") else None


def spawn(
    settings: Settings,
    log_path: Path,
    wait_seconds: float = 60.0,
    exit_with_parent: bool = False,
) -> subprocess.Popen[bytes]:
    """Start the server in a detached subprocess and return once it answers.

    `exit_with_parent`: the server stops when this process ends (for tests and benchmarks;
    `bgtasks local up --detach` leaves it running on purpose).
    """
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        SERVER_MODULE,
        "--host",
        settings.host,
        "--port",
        str(settings.port),
        "--state-dir",
        str(settings.state_dir),
        *(["--exit-with-parent"] if exit_with_parent else []),
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise StartupError(f"the embedded AWS exited at start: {tail[0]}")
        record = health(settings.endpoint, timeout=0.5)
        if record is not None and record.get("pid") == process.pid:
            return process
        time.sleep(0.1)
    process.terminate()
    raise StartupError(
        f"the embedded AWS did not answer on {settings.endpoint} "
        f"within {wait_seconds:.0f} s (log: {log_path})"
    )


class EmbeddedAws:
    """An embedded AWS in a subprocess, for tests, benchmarks and the demo."""

    def __init__(self, state_dir: Path, port: int | None = None) -> None:
        self.settings = Settings(port=port or free_port(), state_dir=state_dir)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return self.settings.endpoint

    def start(self) -> EmbeddedAws:
        self._process = spawn(self.settings, self.settings.log_file, exit_with_parent=True)
        return self

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(5)
        self._process = None

    def __enter__(self) -> EmbeddedAws:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
