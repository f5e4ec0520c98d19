"""Every kind of bad input ends with one clear stderr line, exit code 2, and no output at all."""

from __future__ import annotations

from typing import Any

import pytest
from worker_fixtures import (
    CHUNKS_URI,
    OTHER_BUCKET,
    RUN_ID,
    RUNS_BUCKET,
    TENANT_BUCKET,
    jpeg_bytes,
    put_json,
    run_worker_in_process,
    snapshot,
    unit,
    write_run,
)

from worker.errors import EXIT_BAD_INPUT


@pytest.fixture
def valid_run(s3: Any) -> Any:
    """A two-chunk thumbnails run whose images exist, so only the tested defect can fail it."""
    for name in ("a.jpg", "b.jpg"):
        s3.put_object(Bucket=TENANT_BUCKET, Key=f"images/{name}", Body=jpeg_bytes(64, 48))
    write_run(s3, "thumbnails", [[unit("t1", ["images/a.jpg"])], [unit("t1", ["images/b.jpg"])]])
    return s3


def assert_refused(s3: Any, before: Any, *expected_words: str, **kwargs: Any) -> None:
    result = run_worker_in_process(**kwargs)
    assert result.code == EXIT_BAD_INPUT
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("worker: ")
    assert "Traceback" not in result.stderr
    for word in expected_words:
        assert word in lines[0]
    assert snapshot(s3) == before, "bad input must leave no output behind"


@pytest.mark.parametrize("raw_index", ["abc", "-1", "", "1.0", "٣"])
def test_non_numeric_index_is_refused(valid_run: Any, raw_index: str) -> None:
    assert_refused(valid_run, snapshot(valid_run), "AWS_BATCH_JOB_ARRAY_INDEX", index=raw_index)


def test_index_beyond_the_chunk_count_is_refused(valid_run: Any) -> None:
    assert_refused(valid_run, snapshot(valid_run), "beyond", "2 chunk", index=2)


def test_missing_chunks_uri_is_refused(valid_run: Any) -> None:
    assert_refused(valid_run, snapshot(valid_run), "BGTASKS_CHUNKS_URI", chunks_uri=None)


@pytest.mark.parametrize(
    "uri",
    ["not-a-uri", f"s3://{RUNS_BUCKET}/somewhere/else/", f"https://{RUNS_BUCKET}/runs/x/chunks/"],
)
def test_malformed_chunks_uri_is_refused(valid_run: Any, uri: str) -> None:
    assert_refused(valid_run, snapshot(valid_run), uri, chunks_uri=uri)


def test_missing_manifest_is_refused(valid_run: Any) -> None:
    valid_run.delete_object(Bucket=RUNS_BUCKET, Key=f"runs/{RUN_ID}/chunks/manifest.json")
    assert_refused(valid_run, snapshot(valid_run), "missing manifest", "manifest.json")


def test_missing_runs_bucket_is_refused(valid_run: Any) -> None:
    uri = f"s3://no-such-runs-bucket/runs/{RUN_ID}/chunks/"
    assert_refused(valid_run, snapshot(valid_run), "no-such-runs-bucket", chunks_uri=uri)


def test_manifest_that_is_not_json_is_refused(valid_run: Any) -> None:
    key = f"runs/{RUN_ID}/chunks/manifest.json"
    valid_run.put_object(Bucket=RUNS_BUCKET, Key=key, Body=b"{not json")
    assert_refused(valid_run, snapshot(valid_run), "malformed manifest", "not JSON")


def test_manifest_that_breaks_the_schema_is_refused(valid_run: Any) -> None:
    put_json(valid_run, f"runs/{RUN_ID}/chunks/manifest.json", {"schema_version": 1, "task": 3})
    assert_refused(valid_run, snapshot(valid_run), "malformed manifest")


def test_manifest_of_another_run_is_refused(valid_run: Any) -> None:
    write_run(valid_run, "thumbnails", [[unit("t1", ["images/a.jpg"])]])
    other = f"s3://{RUNS_BUCKET}/runs/other-run/chunks/"
    valid_run.copy_object(
        Bucket=RUNS_BUCKET,
        Key="runs/other-run/chunks/manifest.json",
        CopySource={"Bucket": RUNS_BUCKET, "Key": f"runs/{RUN_ID}/chunks/manifest.json"},
    )
    assert_refused(valid_run, snapshot(valid_run), "other-run", chunks_uri=other)


def test_missing_chunk_is_refused(valid_run: Any) -> None:
    valid_run.delete_object(Bucket=RUNS_BUCKET, Key=f"runs/{RUN_ID}/chunks/1.json")
    assert_refused(valid_run, snapshot(valid_run), "missing chunk", "1.json", index=1)


@pytest.mark.parametrize(
    "chunk",
    [
        b"[1, 2",
        b'{"schema_version": 1}',
        b'{"schema_version": 1, "run_id": "%s", "task": "thumbnails", "index": 0, "units": []}'
        % RUN_ID.encode(),
    ],
)
def test_malformed_chunk_is_refused(valid_run: Any, chunk: bytes) -> None:
    valid_run.put_object(Bucket=RUNS_BUCKET, Key=f"runs/{RUN_ID}/chunks/0.json", Body=chunk)
    assert_refused(valid_run, snapshot(valid_run), "malformed chunk", "0.json")


def test_chunk_for_another_index_is_refused(valid_run: Any) -> None:
    valid_run.copy_object(
        Bucket=RUNS_BUCKET,
        Key=f"runs/{RUN_ID}/chunks/1.json",
        CopySource={"Bucket": RUNS_BUCKET, "Key": f"runs/{RUN_ID}/chunks/0.json"},
    )
    assert_refused(valid_run, snapshot(valid_run), "index 0", index=1)


def test_unknown_task_is_refused(s3: Any) -> None:
    write_run(s3, "transcode", [[unit("t1", ["images/a.jpg"])]])
    assert_refused(s3, snapshot(s3), "unknown task 'transcode'", "thumbnails")


def test_bucket_not_allowed_by_the_run_is_refused_before_any_work(s3: Any) -> None:
    s3.put_object(Bucket=TENANT_BUCKET, Key="images/a.jpg", Body=jpeg_bytes(64, 48))
    s3.put_object(Bucket=OTHER_BUCKET, Key="images/b.jpg", Body=jpeg_bytes(64, 48))
    # The first unit is fine and comes first: it must not be processed either.
    units = [unit("t1", ["images/a.jpg"]), unit("t2", ["images/b.jpg"], bucket=OTHER_BUCKET)]
    write_run(s3, "thumbnails", [units], allowed=[TENANT_BUCKET])
    assert_refused(s3, snapshot(s3), OTHER_BUCKET, "'t2'", "does not allow")


def test_thumbnail_item_outside_the_tenant_images_is_refused(s3: Any) -> None:
    units = [unit("t1", ["t1/images/a.jpg", "t2/images/secret.jpg"], prefix="t1/")]
    write_run(s3, "thumbnails", [units])
    assert_refused(s3, snapshot(s3), "t2/images/secret.jpg", "t1/images/")


@pytest.mark.parametrize("sizes", [[], ["big"], [0], [800, 800]])
def test_bad_thumbnail_sizes_are_refused(s3: Any, sizes: Any) -> None:
    write_run(s3, "thumbnails", [[unit("t1", ["images/a.jpg"], parameters={"sizes": sizes})]])
    assert_refused(s3, snapshot(s3), "sizes")


def test_split_tenant_is_refused_by_the_sitemap_task(s3: Any) -> None:
    write_run(s3, "sitemap", [[unit("t1", ["urls.txt"], part=1, parts=2)]])
    assert_refused(s3, snapshot(s3), "whole", "part 1 of 2")


@pytest.mark.parametrize(
    ("name", "value"), [("BGTASKS_MAX_FAILED_SHARE", "lots"), ("AWS_BATCH_JOB_ATTEMPT", "x")]
)
def test_malformed_settings_are_refused(valid_run: Any, name: str, value: str) -> None:
    assert_refused(valid_run, snapshot(valid_run), name, **{name: value})


def test_chunks_uri_without_trailing_slash_is_accepted(valid_run: Any) -> None:
    result = run_worker_in_process(chunks_uri=CHUNKS_URI.rstrip("/"))
    assert result.code == 0, result.stderr
