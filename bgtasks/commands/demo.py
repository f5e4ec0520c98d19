"""`bgtasks demo` (what `make demo` runs): the whole pipeline on the embedded AWS, live.

Starts the embedded AWS if it is not running (and leaves it running: `make down` stops it),
applies `envs/local`, seeds demo tenants, runs the thumbnails task once with live progress, and
ends with `demo: <STATUS> chunks=<n> wall=<seconds>s`. Exit 0 when the run succeeded.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from bgtasks.demo.embedded import EmbeddedAwsError
from bgtasks.demo.flow import DEMO_TASK, DemoError, DemoOptions, run_demo
from bgtasks.demo.terraform import TerraformError
from bgtasks.local.settings import DEFAULT_STATE_DIR, Settings, default_port
from bgtasks.ops.names import NotFoundError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the whole pipeline on the embedded AWS, with live progress",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, help="embedded AWS port (default 4566)")
    parser.add_argument(
        "--state-dir", type=Path, default=DEFAULT_STATE_DIR, help="default: .local/"
    )
    parser.add_argument("--task", default=DEMO_TASK, help="task to run (default: thumbnails)")
    parser.add_argument("--timeout", type=float, default=600.0, help="run timeout, seconds")
    parser.set_defaults(func=demo_command)


def demo_command(args: argparse.Namespace) -> int:
    port = args.port if args.port is not None else default_port()
    if not 0 < port < 65536 or args.timeout <= 0:
        print("bgtasks demo: --port must be 1..65535 and --timeout positive", file=sys.stderr)
        return 2
    options = DemoOptions(
        settings=Settings(port=port, state_dir=Path(args.state_dir).resolve()),
        task=args.task,
        timeout=args.timeout,
        interactive=sys.stdout.isatty(),
    )
    started = time.monotonic()
    try:
        result = run_demo(options, sys.stdout)
    except (DemoError, EmbeddedAwsError, TerraformError, NotFoundError) as error:
        print(f"bgtasks demo: {error}", file=sys.stderr)
        return _failed(started)
    except ClientError as error:
        info = error.response.get("Error", {})
        print(f"bgtasks demo: AWS said {info.get('Code')}: {info.get('Message')}", file=sys.stderr)
        return _failed(started)
    except BotoCoreError as error:
        print(f"bgtasks demo: {error}", file=sys.stderr)
        return _failed(started)
    print(result.final_line())
    return 0 if result.status == "SUCCEEDED" else 1


def _failed(started: float) -> int:
    """The contract's last line, even when a phase failed before the run."""
    print(f"demo: FAILED chunks=0 wall={time.monotonic() - started:.1f}s")
    return 1
