"""Runs one Lambda invocation in its own process: `python lambda_runner.py HANDLER EVENT RESULT`.

Started by `lambda_compute` with the unzipped code as the working directory. Standalone on
purpose (stdlib only, never imports bgtasks): the handler sees a Lambda-like `sys.path`, event
and context. The result (or the error, shaped as Lambda reports it) goes to the RESULT file.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from typing import Any


class LambdaContext:
    """The attributes of the Lambda context object that handlers commonly read."""

    def __init__(self, deadline: float) -> None:
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = os.environ.get("BGTASKS_LAMBDA_FUNCTION_ARN", "")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = os.environ.get("BGTASKS_LAMBDA_REQUEST_ID", "")
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _load_handler(spec: str) -> Any:
    module_name, _, function_name = spec.rpartition(".")
    module = importlib.import_module(module_name)
    return getattr(module, function_name)


def main(argv: list[str]) -> int:
    handler_spec, event_path, result_path = argv
    timeout = float(os.environ.get("AWS_LAMBDA_FUNCTION_TIMEOUT", "3"))
    sys.path.insert(0, os.getcwd())
    with open(event_path, encoding="utf-8") as handle:
        event = json.load(handle)
    try:
        result = _load_handler(handler_spec)(event, LambdaContext(time.time() + timeout))
        payload, code = json.dumps(result), 0
    except Exception as error:
        payload = json.dumps(
            {
                "errorMessage": str(error),
                "errorType": type(error).__name__,
                "stackTrace": traceback.format_tb(error.__traceback__),
            }
        )
        traceback.print_exc()
        code = 1
    with open(result_path, "w", encoding="utf-8") as handle:
        handle.write(payload)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
