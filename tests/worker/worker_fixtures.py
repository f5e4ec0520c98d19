"""Helpers for the worker tests: an S3 world in moto with a run's manifest and chunks.

A uniquely named module (not conftest) so tests import it without clashing with other dirs.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws
from PIL import Image

from worker.runner import main

RUNS_BUCKET = "bgtasks-test-runs"
TENANT_BUCKET = "tenant-a-media"
OTHER_BUCKET = "tenant-b-media"
RUN_ID = "run-20261204-1"
CHUNKS_URI = f"s3://{RUNS_BUCKET}/runs/{RUN_ID}/chunks/"


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials so no test can ever reach a real account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def s3(aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        for bucket in (RUNS_BUCKET, TENANT_BUCKET, OTHER_BUCKET):
            client.create_bucket(Bucket=bucket)
        yield client


def jpeg_bytes(
    width: int,
    height: int,
    orientation: int | None = None,
    color: tuple[int, int, int] = (200, 40, 40),
) -> bytes:
    """A JPEG with a left half in `color` and a right half white (to see rotations)."""
    image = Image.new("RGB", (width, height), (255, 255, 255))
    image.paste(color, (0, 0, width // 2, height))
    buffer = io.BytesIO()
    if orientation is None:
        image.save(buffer, "JPEG", quality=90)
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def unit(
    tenant_id: str,
    items: Sequence[str],
    bucket: str = TENANT_BUCKET,
    prefix: str = "",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id,
        "bucket": bucket,
        "prefix": prefix,
        "items": list(items),
        **extra,
    }


def write_run(
    s3: Any,
    task: str,
    chunks: Sequence[Sequence[Mapping[str, Any]]],
    allowed: Sequence[str] = (TENANT_BUCKET,),
    parameters: Mapping[str, Any] | None = None,
) -> None:
    """A run manifest and one chunk object per entry of `chunks`, as the metadata fn writes."""
    manifest: dict[str, Any] = {
        "schema_version": 1,
        "run_id": RUN_ID,
        "task": task,
        "size": len(chunks),
        "runs_bucket": RUNS_BUCKET,
        "allowed_buckets": list(allowed),
        "created_at": "2026-12-04T20:00:00Z",
    }
    if parameters is not None:
        manifest["parameters"] = dict(parameters)
    put_json(s3, f"runs/{RUN_ID}/chunks/manifest.json", manifest)
    for index, units in enumerate(chunks):
        chunk = {
            "schema_version": 1,
            "run_id": RUN_ID,
            "task": task,
            "index": index,
            "units": list(units),
        }
        put_json(s3, f"runs/{RUN_ID}/chunks/{index}.json", chunk)


def put_json(s3: Any, key: str, document: Any) -> None:
    s3.put_object(Bucket=RUNS_BUCKET, Key=key, Body=json.dumps(document).encode())


def get_json(s3: Any, bucket: str, key: str) -> Any:
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def snapshot(s3: Any) -> dict[tuple[str, str], str]:
    """Every object of every bucket with its ETag: compare to prove nothing was written."""
    objects: dict[tuple[str, str], str] = {}
    for bucket in (RUNS_BUCKET, TENANT_BUCKET, OTHER_BUCKET):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for entry in page.get("Contents", []):
                objects[(bucket, entry["Key"])] = entry["ETag"]
    return objects


@dataclass
class WorkerRun:
    code: int
    stderr: str
    stdout: str


def run_worker_in_process(
    index: int | str | None = 0,
    chunks_uri: str | None = CHUNKS_URI,
    **environ: str,
) -> WorkerRun:
    """The worker's entry point in this process (so moto's in-process mock applies)."""
    env: dict[str, str] = dict(environ)
    if index is not None:
        env["AWS_BATCH_JOB_ARRAY_INDEX"] = str(index)
    if chunks_uri is not None:
        env["BGTASKS_CHUNKS_URI"] = chunks_uri
    err = io.StringIO()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(env, stderr=err)
    return WorkerRun(code=code, stderr=err.getvalue(), stdout=out.getvalue())


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server on a free 127.0.0.1 port for subprocess runs of `python -m worker`."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
