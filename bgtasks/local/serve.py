"""`python -m bgtasks.local.serve --port P --state-dir D`: the server process `spawn` starts."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from bgtasks.local.server import PortInUseError, serve
from bgtasks.local.settings import DEFAULT_HOST, Settings
from bgtasks.local.shims.shape import ShimShapeError


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bgtasks.local.serve")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    settings = Settings(host=args.host, port=args.port, state_dir=args.state_dir.resolve())
    try:
        serve(settings, on_ready=lambda: print(f"embedded AWS on {settings.endpoint}", flush=True))
    except (PortInUseError, ShimShapeError) as error:
        print(f"bgtasks local: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
