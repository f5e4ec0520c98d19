"""`bgtasks status EXECUTION`: a run's states, its array children, failed children's logs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bgtasks.ops.cli_support import (
    EXIT_FAILURE,
    EXIT_OK,
    add_aws_arguments,
    clients_from_args,
    reported_errors,
)
from bgtasks.ops.names import DEFAULT_PROJECT, resolve_execution
from bgtasks.ops.status import LOG_TAIL_LINES, collect_status, render_status


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "status",
        help="one view of a run: states, array children, failed children's log tails",
        description="Join the execution's history, its Batch array children (status, attempts, "
        "exit codes, reasons) and the tail of each failed child's log. Exit 1 when the run failed.",
    )
    parser.add_argument("execution", metavar="EXECUTION", help="execution ARN or run id")
    parser.add_argument("--project", default=DEFAULT_PROJECT, help="name prefix (default: bgtasks)")
    parser.add_argument(
        "--tail", type=int, default=LOG_TAIL_LINES, help="log lines per failed child"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_aws_arguments(parser)
    parser.set_defaults(func=status_command)


@reported_errors("status")
def status_command(args: argparse.Namespace) -> int:
    if args.tail < 0:
        raise ValueError("--tail must be 0 or more")
    clients = clients_from_args(args)
    execution = resolve_execution(clients.stepfunctions, args.execution, args.project)
    run = collect_status(clients, execution, tail=args.tail)
    if args.format == "json":
        print(json.dumps(run.to_json(), indent=2))
    else:
        print(render_status(run))
    return EXIT_FAILURE if run.status in ("FAILED", "TIMED_OUT", "ABORTED") else EXIT_OK
