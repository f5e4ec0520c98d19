"""S3 errors sorted by whether a retry can cure them, and what that does to the exit code."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from worker_fixtures import TENANT_BUCKET, jpeg_bytes, run_worker_in_process, unit, write_run

from worker.errors import EXIT_TRANSIENT, BadInputError, ItemError, TransientError
from worker.s3store import ObjectStore


def stubbed_store(method: str, code: str, status: int) -> ObjectStore:
    client = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    stubber = Stubber(client)
    stubber.add_client_error(method, service_error_code=code, http_status_code=status)
    stubber.activate()
    return ObjectStore(client)


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("NoSuchKey", 404, ItemError),
        ("SlowDown", 503, TransientError),
        ("InternalError", 500, TransientError),
        ("AccessDenied", 403, BadInputError),
        ("NoSuchBucket", 404, BadInputError),
    ],
)
def test_read_errors_are_sorted_by_cure(code: str, status: int, kind: type[Exception]) -> None:
    with pytest.raises(kind, match=code if kind is not ItemError else "does not exist"):
        stubbed_store("get_object", code, status).get("b", "k")


@pytest.mark.parametrize(
    ("code", "kind"), [("SlowDown", TransientError), ("AccessDenied", BadInputError)]
)
def test_write_errors_are_sorted_by_cure(code: str, kind: type[Exception]) -> None:
    with pytest.raises(kind, match=code):
        stubbed_store("put_object", code, 503).put("b", "k", b"x", "text/plain")


def test_s3_trouble_mid_chunk_exits_transient_without_a_result(
    s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3.put_object(Bucket=TENANT_BUCKET, Key="images/a.jpg", Body=jpeg_bytes(64, 48))
    write_run(s3, "thumbnails", [[unit("t1", ["images/a.jpg"])]])

    def failing_put(self: ObjectStore, bucket: str, key: str, *args: Any, **kwargs: Any) -> None:
        raise TransientError(f"writing s3://{bucket}/{key}: SlowDown: Please reduce your rate")

    monkeypatch.setattr(ObjectStore, "put", failing_put)
    run = run_worker_in_process()
    assert run.code == EXIT_TRANSIENT
    assert run.stderr.splitlines() == [
        f"worker: writing s3://{TENANT_BUCKET}/thumbnails/1600/a.jpg: SlowDown: Please reduce "
        "your rate"
    ]
