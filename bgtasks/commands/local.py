"""`bgtasks local up [--detach] [--port P] | down | status`: the embedded AWS (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bgtasks.local.launcher import LauncherError, down, status, up
from bgtasks.local.requestlog import read_request_log, summarize
from bgtasks.local.settings import DEFAULT_STATE_DIR, Settings, default_port


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "local",
        help="run the embedded AWS (moto + shims + local compute) on this machine",
        description="Run the embedded AWS on 127.0.0.1 (default port 4566).",
    )
    actions = parser.add_subparsers(dest="local_action", metavar="ACTION", required=True)
    for name, func, summary in (
        ("up", _up, "start it (foreground, or --detach with a pid file and a log)"),
        ("down", _down, "stop the one started with --detach"),
        ("status", _status, "say whether it runs (exit 0) or not (exit 1)"),
    ):
        action = actions.add_parser(name, help=summary, description=summary)
        action.add_argument(
            "--port", type=int, default=None, help="port (default: $BGTASKS_LOCAL_PORT or 4566)"
        )
        action.add_argument(
            "--state-dir",
            type=Path,
            default=DEFAULT_STATE_DIR,
            help="pid file, log, request log and code cache (default: .local/)",
        )
        if name == "up":
            action.add_argument(
                "--detach",
                action="store_true",
                help="run in the background; return once it answers",
            )
        action.set_defaults(func=func)


def _settings(args: argparse.Namespace) -> Settings:
    port = args.port if args.port is not None else default_port()
    if not 0 < port < 65536:
        raise LauncherError(f"invalid port {port}")
    return Settings(port=port, state_dir=Path(args.state_dir).resolve())


def _up(args: argparse.Namespace) -> int:
    try:
        print(up(_settings(args), detach=args.detach))
    except LauncherError as error:
        print(f"bgtasks local up: {error}", file=sys.stderr)
        return 1
    return 0


def _down(args: argparse.Namespace) -> int:
    try:
        print(down(_settings(args)))
    except LauncherError as error:
        print(f"bgtasks local down: {error}", file=sys.stderr)
        return 1
    return 0


def _status(args: argparse.Namespace) -> int:
    try:
        current = status(_settings(args))
    except LauncherError as error:
        print(f"bgtasks local status: {error}", file=sys.stderr)
        return 1
    if current.running:
        settings = _settings(args)
        print(
            f"running on {current.endpoint} (pid {current.pid}, up {current.uptime_seconds:.0f} s)"
        )
        records = read_request_log(settings.request_log)
        print(f"request log {settings.request_log}: {summarize(records)}")
        return 0
    print(f"not running on {current.endpoint}")
    return 1
