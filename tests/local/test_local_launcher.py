"""`bgtasks local up|down|status` through the real CLI, on free ports and scratch state dirs."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from bgtasks.local.server import free_port, health

BGTASKS = [sys.executable, "-m", "bgtasks"]


def _local(action: str, port: int, state: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BGTASKS, "local", action, "--port", str(port), "--state-dir", str(state), *extra],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_up_detach_status_second_up_and_down(tmp_path):
    port = free_port()
    started = _local("up", port, tmp_path, "--detach")
    try:
        assert started.returncode == 0, started.stderr
        assert f"127.0.0.1:{port}" in started.stdout
        pid = int((tmp_path / "embedded-aws.pid").read_text())
        _describe_missing_state_machine(f"http://127.0.0.1:{port}")
        status = _local("status", port, tmp_path)
        assert status.returncode == 0 and f"pid {pid}" in status.stdout
        # The request log makes every call moto does not answer well visible.
        assert "1 requests, 1 answered 4xx/5xx" in status.stdout
        assert "states:DescribeStateMachine 400" in status.stdout
        again = _local("up", port, tmp_path, "--detach")
        assert again.returncode == 0
        assert "already running" in again.stdout
        assert int((tmp_path / "embedded-aws.pid").read_text()) == pid
    finally:
        stopped = _local("down", port, tmp_path)
    assert stopped.returncode == 0, stopped.stderr
    assert not (tmp_path / "embedded-aws.pid").exists()
    assert _local("status", port, tmp_path).returncode == 1
    assert (tmp_path / "embedded-aws.log").read_text().startswith("embedded AWS on")
    # A new server starts a new request log; the previous one is kept once.
    restarted = _local("up", port, tmp_path, "--detach")
    try:
        assert restarted.returncode == 0, restarted.stderr
        assert "0 requests" in _local("status", port, tmp_path).stdout
        assert "DescribeStateMachine" in (tmp_path / "requests.jsonl.previous").read_text()
    finally:
        assert _local("down", port, tmp_path).returncode == 0


def _describe_missing_state_machine(endpoint: str) -> None:
    client = boto3.client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with pytest.raises(ClientError):
        client.describe_state_machine(
            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:missing"
        )


def test_moto_config_cannot_be_changed_at_run_time(embedded_aws):
    request = urllib.request.Request(
        embedded_aws.endpoint + "/moto-api/config",
        method="POST",
        data=b'{"stepfunctions": {"execute_state_machine": false}}',
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_up_on_a_port_taken_by_something_else_is_a_clear_error(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        result = _local("up", port, tmp_path, "--detach")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert f"port {port}" in result.stderr and "in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "embedded-aws.pid").exists()


def test_down_when_nothing_runs_says_so(tmp_path):
    result = _local("down", free_port(), tmp_path)
    assert result.returncode == 0
    assert "not running" in result.stdout


def test_bad_port_is_a_usage_error(tmp_path):
    result = _local("up", 70000, tmp_path)
    assert result.returncode == 1
    assert "invalid port" in result.stderr


def test_foreground_up_serves_until_stopped_and_cleans_up(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [*BGTASKS, "local", "up", "--port", str(port), "--state-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(f"embedded AWS on http://127.0.0.1:{port}")
        assert int((tmp_path / "embedded-aws.pid").read_text()) == process.pid
        assert _local("status", port, tmp_path).returncode == 0
        stopped = _local("down", port, tmp_path)
        assert stopped.returncode == 0, stopped.stderr
        assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not (tmp_path / "embedded-aws.pid").exists()


def test_a_test_server_stops_when_the_process_that_started_it_dies(tmp_path):
    starter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from bgtasks.local.server import EmbeddedAws\n"
            "aws = EmbeddedAws(Path(sys.argv[1])).start()\n"
            "print(aws.settings.port, flush=True)\n"
            "time.sleep(60)\n",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert starter.stdout is not None
    port = int(starter.stdout.readline())
    assert health(f"http://127.0.0.1:{port}") is not None
    starter.kill()  # no cleanup runs in the starter: the server must notice by itself
    starter.wait()
    for _ in range(100):
        if health(f"http://127.0.0.1:{port}", timeout=0.2) is None:
            break
        time.sleep(0.1)
    assert health(f"http://127.0.0.1:{port}", timeout=0.2) is None
