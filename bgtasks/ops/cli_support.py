"""Shared plumbing of the operator subcommands: AWS options and error reporting.

Every failure becomes one line on stderr and exit code 1 (2 for bad usage), never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from bgtasks.ops.aws import AwsClients, AwsSettings, ConfigurationError, make_clients
from bgtasks.ops.names import NotFoundError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

Command = Callable[[argparse.Namespace], int]


def add_aws_arguments(parser: argparse.ArgumentParser) -> None:
    """--endpoint-url, --region and --local, on top of boto3's standard resolution."""
    group = parser.add_argument_group("AWS access (default: boto3's standard configuration)")
    group.add_argument("--endpoint-url", help="send every request here (else AWS_ENDPOINT_URL)")
    group.add_argument("--region", help="AWS region (else AWS_REGION / AWS_DEFAULT_REGION)")
    group.add_argument(
        "--local",
        action="store_true",
        help="the embedded AWS: http://127.0.0.1:4566, us-east-1, test credentials, "
        "unless AWS_ENDPOINT_URL / AWS_REGION / AWS_ACCESS_KEY_ID say otherwise",
    )


def clients_from_args(args: argparse.Namespace) -> AwsClients:
    return make_clients(
        AwsSettings(endpoint_url=args.endpoint_url, region=args.region, local=args.local)
    )


def reported_errors(name: str) -> Callable[[Command], Command]:
    """Turn expected failures of a subcommand into one stderr line and an exit code."""

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def wrapper(args: argparse.Namespace) -> int:
            try:
                return command(args)
            except ValueError as error:
                print(f"bgtasks {name}: {error}", file=sys.stderr)
                return EXIT_USAGE
            except (NotFoundError, ConfigurationError, LookupError, TimeoutError) as error:
                print(f"bgtasks {name}: {error}", file=sys.stderr)
                return EXIT_FAILURE
            except ClientError as error:
                info = error.response.get("Error", {})
                message = f"{info.get('Code', 'Error')}: {info.get('Message', '')}".rstrip(": ")
                print(f"bgtasks {name}: AWS said {message}", file=sys.stderr)
                return EXIT_FAILURE
            except BotoCoreError as error:
                print(f"bgtasks {name}: {error}", file=sys.stderr)
                return EXIT_FAILURE

        return wrapper

    return decorate
