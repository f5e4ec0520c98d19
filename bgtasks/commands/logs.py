"""`bgtasks logs EXECUTION [--index I]`: the CloudWatch log of one array child of a run."""

from __future__ import annotations

import argparse
from typing import Any

from bgtasks.ops.batchjobs import load_array_job
from bgtasks.ops.cli_support import EXIT_OK, add_aws_arguments, clients_from_args, reported_errors
from bgtasks.ops.history import read_history
from bgtasks.ops.logs import read_log_lines
from bgtasks.ops.names import DEFAULT_PROJECT, NotFoundError, resolve_execution


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "logs",
        help="print the log of one array child of a run",
        description="Print the CloudWatch log of array child I (default 0) of the run's Batch "
        "job: the latest attempt, or every attempt with --all-attempts.",
    )
    parser.add_argument("execution", metavar="EXECUTION", help="execution ARN or run id")
    parser.add_argument("--index", type=int, default=0, help="array index (default: 0)")
    parser.add_argument("--tail", type=int, help="only the last N lines")
    parser.add_argument("--all-attempts", action="store_true", help="every attempt's log, in order")
    parser.add_argument("--project", default=DEFAULT_PROJECT, help="name prefix (default: bgtasks)")
    add_aws_arguments(parser)
    parser.set_defaults(func=logs_command)


@reported_errors("logs")
def logs_command(args: argparse.Namespace) -> int:
    if args.index < 0 or (args.tail is not None and args.tail < 1):
        raise ValueError("--index must be 0 or more and --tail 1 or more")
    clients = clients_from_args(args)
    execution = resolve_execution(clients.stepfunctions, args.execution, args.project)
    history = read_history(clients.stepfunctions, execution.arn)
    if not history.batch_job_ids:
        raise NotFoundError(f"execution {execution.run_id} submitted no Batch job")
    # The first job is the run's own array job; later ones are other stages, if any.
    job = load_array_job(clients.batch, history.batch_job_ids[0])
    child = next((c for c in job.children if (c.index or 0) == args.index), None)
    if child is None:
        raise NotFoundError(f"job {job.job_id} has no child {args.index} (size {job.size})")
    streams = [a.log_stream for a in child.attempts if a.log_stream] if args.all_attempts else []
    if not streams:
        last = child.last_log_stream
        if last is None:
            raise NotFoundError(f"child {args.index} has no log yet (status {child.status})")
        streams = [last]
    for number, stream in enumerate(streams, start=1):
        if len(streams) > 1:
            print(f"--- attempt {number}: {stream}")
        for line in read_log_lines(clients.logs, child.log_group, stream, args.tail):
            print(line)
    return EXIT_OK
