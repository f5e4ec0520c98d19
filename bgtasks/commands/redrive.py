"""`bgtasks redrive EXECUTION`: re-run only the failed chunks of a run, then re-summarise it."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bgtasks.ops.cli_support import (
    EXIT_FAILURE,
    EXIT_OK,
    add_aws_arguments,
    clients_from_args,
    reported_errors,
)
from bgtasks.ops.names import DEFAULT_PROJECT, resolve_execution
from bgtasks.ops.redrive import RedriveError, execute_redrive, plan_redrive
from bgtasks.ops.status import status_line


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "redrive",
        help="re-run only the failed chunks of a run",
        description="Resubmit the failed array children's chunks (as run <run_id>-r<n>, same "
        "queue and job definition), copy their results back and re-run the summary, so the run "
        "report covers every chunk. Succeeded chunks and their outputs are not touched. "
        "Exit 0 when the run is now complete, 1 otherwise.",
    )
    parser.add_argument("execution", metavar="EXECUTION", help="execution ARN or run id")
    parser.add_argument("--project", default=DEFAULT_PROJECT, help="name prefix (default: bgtasks)")
    parser.add_argument("--dry-run", action="store_true", help="only say which chunks would run")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for the job")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_aws_arguments(parser)
    parser.set_defaults(func=redrive_command)


@reported_errors("redrive")
def redrive_command(args: argparse.Namespace) -> int:
    clients = clients_from_args(args)
    execution = resolve_execution(clients.stepfunctions, args.execution, args.project)
    try:
        plan = plan_redrive(clients, execution)
        if args.dry_run or not plan.failed:
            view = {"run_id": plan.run_id, "failed_chunks": plan.failed, "size": plan.size}
            if args.format == "json":
                print(json.dumps(view))
            else:
                failed = f"{len(plan.failed)} of {plan.size} chunks failed"
                print(f"run {plan.run_id}: {failed}: {plan.failed}")
            return EXIT_OK

        def progress(status: str, counts: dict[str, int]) -> None:
            if args.format == "text" and sys.stderr.isatty():
                print(f"\rredrive job: {status:<10} {status_line(counts)}", end="", file=sys.stderr)

        outcome = execute_redrive(clients, plan, timeout=args.timeout, on_progress=progress)
    except RedriveError as error:
        print(f"bgtasks redrive: {error}", file=sys.stderr)
        return EXIT_FAILURE
    report_status = str(outcome.summary.get("status", "UNKNOWN"))
    if args.format == "json":
        print(
            json.dumps(
                {
                    "run_id": plan.run_id,
                    "redrive_run_id": outcome.sub_run_id,
                    "job_id": outcome.job_id,
                    "job_status": outcome.job_status,
                    "redriven_chunks": plan.failed,
                    "merged_chunks": outcome.merged,
                    "still_failed_chunks": outcome.still_failed,
                    "summary": outcome.summary,
                }
            )
        )
    else:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(f"run {plan.run_id}: redrove chunks {plan.failed} as run {outcome.sub_run_id}")
        print(f"  job {outcome.job_id}: {outcome.job_status} ({status_line(outcome.counts)})")
        if outcome.still_failed:
            print(f"  still failed: chunks {outcome.still_failed}")
        print(f"  report: {outcome.summary.get('report_uri', '?')}: {report_status}")
    return EXIT_OK if report_status == "SUCCEEDED" and not outcome.still_failed else EXIT_FAILURE
