"""A real client, unchanged: the AWS CLI (PyPI awscli) against the embedded AWS."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bgtasks.local.sample_stack import build_stack, run_execution

AWS_CLI = Path(sys.executable).with_name("aws")


def _aws(embedded_aws, *args: str) -> dict:
    completed = subprocess.run(
        [str(AWS_CLI), *args, "--output", "json"],
        env=embedded_aws.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict = json.loads(completed.stdout)
    return result


def test_aws_cli_lists_job_queues_and_describes_the_execution(embedded_aws):
    stack = build_stack(embedded_aws)
    execution = run_execution(embedded_aws, stack, size=2, behavior="ok")
    queues = _aws(embedded_aws, "batch", "describe-job-queues")["jobQueues"]
    assert stack.queue_arn in [queue["jobQueueArn"] for queue in queues]
    described = _aws(
        embedded_aws,
        "stepfunctions",
        "describe-execution",
        "--execution-arn",
        execution["executionArn"],
    )
    assert described["status"] == "SUCCEEDED"
    assert described["stateMachineArn"] == stack.state_machine_arn
