"""`bgtasks run TASK [--env ENV]`: start one execution of a task (the run id is its name)."""

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
from bgtasks.ops.names import DEFAULT_PROJECT
from bgtasks.ops.runs import RunRequest, start_run, wait_for_execution


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="start one execution of a task",
        description="Start the state machine <project>-<env>-<task>; prints the run id and ARN.",
    )
    parser.add_argument("task", metavar="TASK", help="task name, e.g. thumbnails")
    parser.add_argument("--env", default="local", help="environment (default: local)")
    parser.add_argument("--project", default=DEFAULT_PROJECT, help="name prefix (default: bgtasks)")
    parser.add_argument("--run-id", help="the execution name to use (default: generated)")
    parser.add_argument("--wait", action="store_true", help="wait for the execution to end")
    parser.add_argument("--timeout", type=float, default=900.0, help="--wait limit, seconds")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_aws_arguments(parser)
    parser.set_defaults(func=run_command)


@reported_errors("run")
def run_command(args: argparse.Namespace) -> int:
    clients = clients_from_args(args)
    request = RunRequest(
        task=args.task,
        env=args.env,
        project=args.project,
        run_id=args.run_id,
    )
    execution = start_run(clients.stepfunctions, request)
    status = "RUNNING"
    if args.wait:
        status = str(
            wait_for_execution(clients.stepfunctions, execution.arn, args.timeout)["status"]
        )
    if args.format == "json":
        print(
            json.dumps(
                {"run_id": execution.run_id, "execution_arn": execution.arn, "status": status}
            )
        )
    else:
        print(f"run {execution.run_id}: {status}")
        print(f"  arn: {execution.arn}")
        print(f"  watch: bgtasks status {execution.run_id}")
    return EXIT_OK if status in ("RUNNING", "SUCCEEDED") else EXIT_FAILURE
