"""`python -m bgtasks.local.serve --port P --state-dir D`: the server process `spawn` starts."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from bgtasks.local.server import PortInUseError, serve
from bgtasks.local.settings import DEFAULT_HOST, Settings
from bgtasks.local.shims.shape import ShimShapeError

_PARENT_POLL_SECONDS = 1.0


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


def _watch_parent(parent: int) -> None:
    """SIGTERM ourselves once `parent` is gone, so a killed test run leaves no server behind."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="bgtasks-parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bgtasks.local.serve")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when the process that started this one ends (tests)",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    if args.exit_with_parent:
        _watch_parent(os.getppid())
    settings = Settings(host=args.host, port=args.port, state_dir=args.state_dir.resolve())
    try:
        serve(settings, on_ready=lambda: print(f"embedded AWS on {settings.endpoint}", flush=True))
    except (PortInUseError, ShimShapeError) as error:
        print(f"bgtasks local: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
