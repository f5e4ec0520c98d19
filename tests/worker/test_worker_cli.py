"""`python -m worker` as Batch runs it: a subprocess against a moto server on a free port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from worker_fixtures import (
    CHUNKS_URI,
    RUN_ID,
    RUNS_BUCKET,
    TENANT_BUCKET,
    get_json,
    jpeg_bytes,
    unit,
    write_run,
)

from worker.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_TOO_MANY_FAILED, EXIT_TRANSIENT

REPO_ROOT = Path(__file__).resolve().parents[2]
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture
def server_s3(moto_endpoint: str) -> Iterator[Any]:
    """Fresh buckets on the session's moto server (reset before each test)."""
    import urllib.request

    urllib.request.urlopen(
        urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")
    ).read()
    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    for bucket in (RUNS_BUCKET, TENANT_BUCKET):
        client.create_bucket(Bucket=bucket)
    yield client


def run_module(endpoint: str, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_ENDPOINT_URL": endpoint,
        "BGTASKS_CHUNKS_URI": CHUNKS_URI,
        **FAKE_CREDENTIALS,
        **environ,
    }
    return subprocess.run(
        [sys.executable, "-m", "worker"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_array_child_does_its_chunk_and_logs_json_lines(server_s3: Any, moto_endpoint: str) -> None:
    for name in ("a", "b"):
        server_s3.put_object(
            Bucket=TENANT_BUCKET, Key=f"images/{name}.jpg", Body=jpeg_bytes(640, 480)
        )
    write_run(
        server_s3, "thumbnails", [[unit("t1", ["images/a.jpg"])], [unit("t1", ["images/b.jpg"])]]
    )

    done = run_module(moto_endpoint, AWS_BATCH_JOB_ARRAY_INDEX="1", AWS_BATCH_JOB_ATTEMPT="1")

    assert done.returncode == EXIT_OK, done.stderr
    assert done.stderr == ""
    keys = {e["Key"] for e in server_s3.list_objects_v2(Bucket=TENANT_BUCKET)["Contents"]}
    assert keys == {"images/a.jpg", "images/b.jpg"} | {
        f"thumbnails/{size}/b.jpg" for size in (1600, 800, 200)
    }
    result = get_json(server_s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/1.json")
    assert result["status"] == "SUCCEEDED"
    logs = [json.loads(line) for line in done.stdout.splitlines()]
    assert logs and all(line["run_id"] == RUN_ID and line["index"] == 1 for line in logs)
    assert any(line.get("tenant_id") == "t1" for line in logs)


def test_plain_job_without_an_index_does_chunk_zero(server_s3: Any, moto_endpoint: str) -> None:
    server_s3.put_object(Bucket=TENANT_BUCKET, Key="images/a.jpg", Body=jpeg_bytes(64, 64))
    write_run(server_s3, "thumbnails", [[unit("t1", ["images/a.jpg"])]])
    done = run_module(moto_endpoint)
    assert done.returncode == EXIT_OK, done.stderr
    assert get_json(server_s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/0.json")["index"] == 0


def test_bad_input_is_one_line_and_the_bad_input_code(server_s3: Any, moto_endpoint: str) -> None:
    write_run(server_s3, "thumbnails", [[unit("t1", ["images/a.jpg"])]])
    done = run_module(moto_endpoint, AWS_BATCH_JOB_ARRAY_INDEX="7")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr.splitlines() == [
        "worker: AWS_BATCH_JOB_ARRAY_INDEX 7 is beyond the run's 1 chunk(s)"
    ]
    keys = [e["Key"] for e in server_s3.list_objects_v2(Bucket=RUNS_BUCKET)["Contents"]]
    assert not [key for key in keys if "/results/" in key]


def test_unreachable_s3_is_transient_and_worth_a_retry(moto_endpoint: str) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    done = run_module(closed, BGTASKS_S3_MAX_ATTEMPTS="1")
    assert done.returncode == EXIT_TRANSIENT
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("worker: reading s3://"), done.stderr


def test_corrupt_images_over_the_share_end_with_code_3_and_a_failed_result(
    server_s3: Any, moto_endpoint: str
) -> None:
    server_s3.put_object(Bucket=TENANT_BUCKET, Key="images/good.jpg", Body=jpeg_bytes(64, 64))
    server_s3.put_object(Bucket=TENANT_BUCKET, Key="images/bad.jpg", Body=b"\xff\xd8\xff\xe0 no")
    write_run(server_s3, "thumbnails", [[unit("t1", ["images/bad.jpg", "images/good.jpg"])]])

    done = run_module(moto_endpoint, BGTASKS_MAX_FAILED_SHARE="0.25")

    assert done.returncode == EXIT_TOO_MANY_FAILED
    assert done.stderr.splitlines() == [
        f"worker: 1 of 2 items failed, more than the allowed share 0.25 "
        f"(s3://{RUNS_BUCKET}/runs/{RUN_ID}/results/0.json lists them)"
    ]
    result = get_json(server_s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/0.json")
    assert result["status"] == "FAILED"
    assert result["tenants"][0]["failures"][0]["item"] == "images/bad.jpg"
    # The good image was still done: its thumbnails are complete objects.
    listing = server_s3.list_objects_v2(Bucket=TENANT_BUCKET, Prefix="thumbnails/")
    assert len(listing["Contents"]) == 3
