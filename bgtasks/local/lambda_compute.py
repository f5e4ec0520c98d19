"""Local Lambda compute: runs the deployed zip's Python handler in a subprocess.

Seam: `moto.awslambda.models.LambdaFunction._invoke_lambda(event) -> (payload, error, logs)`,
which moto runs in Docker. We unzip the code once per code hash, run the handler with the
venv's Python, the function's environment, `AWS_ENDPOINT_URL` and fake credentials, enforce the
timeout, and write START/END/REPORT plus the output to `/aws/lambda/<name>`.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bgtasks.local.settings import Settings, local_process_env
from bgtasks.local.shims.shape import expect_function, is_patched, mark_patched

NAME = "lambda_compute"
RUNNER = Path(__file__).with_name("lambda_runner.py")
_LOG_RESULT_BYTES = 4096


def code_dir(cache: Path, code_sha: str, code_zip: bytes) -> Path:
    """The unzipped code for `code_sha`, extracted once (atomically) into `cache`."""
    safe = "".join(c if c.isalnum() else "_" for c in code_sha) or "empty"
    target = cache / safe
    if target.is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{safe}-", dir=cache))
    with zipfile.ZipFile(io.BytesIO(code_zip)) as archive:
        archive.extractall(staging)
    try:
        staging.rename(target)
    except OSError:  # another invocation extracted the same code first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def function_env(function: Any, settings: Settings, request_id: str, stream: str) -> dict[str, str]:
    env = local_process_env(settings, {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    env.update({str(k): str(v) for k, v in (function.environment_vars or {}).items()})
    env.update(
        {
            "AWS_REGION": function.region,
            "AWS_DEFAULT_REGION": function.region,
            "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
            "AWS_LAMBDA_FUNCTION_VERSION": str(function.version),
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(function.timeout),
            "AWS_LAMBDA_LOG_GROUP_NAME": function.logs_group_name,
            "AWS_LAMBDA_LOG_STREAM_NAME": stream,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.run_time}",
            "BGTASKS_LAMBDA_REQUEST_ID": request_id,
            "BGTASKS_LAMBDA_FUNCTION_ARN": function.function_arn,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def invoke(function: Any, event: Any, settings: Settings) -> tuple[str, bool, str]:
    """Run one invocation; returns (payload, is_error, log text) as moto's seam does."""
    runtime = str(function.run_time or "")
    if getattr(function, "package_type", "Zip") == "Image" or not runtime.startswith("python"):
        message = (
            f"the embedded AWS runs Python zip functions only, not {runtime or 'images'} "
            f"({function.function_name})"
        )
        return _error("Runtime.InvalidRuntime", message), True, message
    request_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    stream = f"{now:%Y/%m/%d}/[{function.version}]{request_id.replace('-', '')}"
    timeout = float(function.timeout or 3)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bgtasks-lambda-") as scratch:
        event_path, result_path = Path(scratch, "event.json"), Path(scratch, "result.json")
        event_path.write_text(json.dumps(event if event is not None else {}))
        try:
            workdir = code_dir(settings.lambda_cache, function.code_sha_256, function.code_bytes)
        except zipfile.BadZipFile as error:
            return _error("Runtime.InvalidZipFile", str(error)), True, str(error)
        command = [sys.executable, str(RUNNER), function.handler, str(event_path), str(result_path)]
        try:
            completed = subprocess.run(
                command,
                cwd=workdir,
                env=function_env(function, settings, request_id, stream),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            output = completed.stdout + completed.stderr
            if result_path.exists():
                payload, errored = result_path.read_text(), completed.returncode != 0
            else:
                message = f"RequestId: {request_id} Error: Runtime exited with code "
                payload = _error("Runtime.ExitError", message + str(completed.returncode))
                errored = True
        except subprocess.TimeoutExpired as expired:
            output = _text(expired.stdout) + _text(expired.stderr)
            stamp = f"{now:%Y-%m-%dT%H:%M:%S.%fZ}"
            message = f"{stamp} {request_id} Task timed out after {timeout:.2f} seconds"
            payload, errored = _error("States.Timeout", message), True
            output += message + "\n"
    millis = (time.perf_counter() - started) * 1000
    log_text = (
        f"START RequestId: {request_id} Version: {function.version}\n"
        f"{output}"
        f"END RequestId: {request_id}\n"
        f"REPORT RequestId: {request_id}\tDuration: {millis:.2f} ms\t"
        f"Billed Duration: {int(millis) + 1} ms\tMemory Size: {function.memory_size} MB\n"
    )
    _write_logs(function, stream, log_text)
    # Like Lambda's LogResult: the last 4 KB (it travels base64-encoded in a response header).
    return payload, errored, log_text[-_LOG_RESULT_BYTES:]


def _error(error_type: str, message: str) -> str:
    return json.dumps({"errorMessage": message, "errorType": error_type})


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _write_logs(function: Any, stream: str, text: str) -> None:
    logs = function.logs_backend
    logs.ensure_log_group(function.logs_group_name)
    logs.create_log_stream(function.logs_group_name, stream)
    now = int(time.time() * 1000)
    events = [{"timestamp": now, "message": line} for line in text.splitlines() if line]
    if events:
        logs.put_log_events(function.logs_group_name, stream, events)


def install(settings: Settings) -> None:
    """Replace moto's Docker invocation with `invoke`."""
    from moto.awslambda.models import LambdaFunction

    if is_patched(LambdaFunction, "_invoke_lambda"):
        return
    expect_function(LambdaFunction, "_invoke_lambda", ["self", "event"], NAME)

    def _invoke_lambda(self: Any, event: Any = None) -> tuple[str, bool, str]:
        return invoke(self, event, settings)

    LambdaFunction._invoke_lambda = mark_patched(_invoke_lambda, NAME)  # type: ignore[method-assign]
