"""The thumbnails task through the worker's entry point, against moto's S3."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from worker_fixtures import (
    RUN_ID,
    RUNS_BUCKET,
    TENANT_BUCKET,
    get_json,
    jpeg_bytes,
    run_worker_in_process,
    unit,
    write_run,
)

from worker.errors import EXIT_OK, EXIT_TOO_MANY_FAILED
from worker.schemas import first_problem


def open_image(s3: Any, key: str) -> Image.Image:
    image = Image.open(io.BytesIO(s3.get_object(Bucket=TENANT_BUCKET, Key=key)["Body"].read()))
    image.load()
    return image


def keys_under(s3: Any, prefix: str) -> set[str]:
    listing = s3.list_objects_v2(Bucket=TENANT_BUCKET, Prefix=prefix)
    return {entry["Key"] for entry in listing.get("Contents", [])}


def test_writes_every_size_at_its_key_and_a_valid_result(s3: Any) -> None:
    s3.put_object(Bucket=TENANT_BUCKET, Key="t1/images/2026/a.jpg", Body=jpeg_bytes(3000, 2000))
    write_run(s3, "thumbnails", [[unit("t1", ["t1/images/2026/a.jpg"], prefix="t1/")]])

    run = run_worker_in_process(AWS_BATCH_JOB_ATTEMPT="1")

    assert run.code == EXIT_OK, run.stderr
    assert run.stderr == ""
    assert keys_under(s3, "t1/thumbnails/") == {
        "t1/thumbnails/1600/2026/a.jpg",
        "t1/thumbnails/800/2026/a.jpg",
        "t1/thumbnails/200/2026/a.jpg",
    }
    for size in (1600, 800, 200):
        thumbnail = open_image(s3, f"t1/thumbnails/{size}/2026/a.jpg")
        assert thumbnail.format == "JPEG"
        assert thumbnail.size == (size, round(size * 2 / 3))
    result = get_json(s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/0.json")
    assert first_problem("result", result) is None
    assert result["status"] == "SUCCEEDED"
    assert result["tenants"] == [
        {
            "tenant_id": "t1",
            "part": 0,
            "parts": 1,
            "items_ok": 1,
            "items_failed": 0,
            "outputs": 3,
            "failures": [],
        }
    ]


def test_configured_sizes_and_no_upscaling(s3: Any) -> None:
    s3.put_object(Bucket=TENANT_BUCKET, Key="images/small.jpg", Body=jpeg_bytes(300, 100))
    write_run(
        s3,
        "thumbnails",
        [[unit("t1", ["images/small.jpg"], parameters={"sizes": [120, 500]})]],
    )
    assert run_worker_in_process().code == EXIT_OK
    assert open_image(s3, "thumbnails/500/small.jpg").size == (300, 100)
    assert open_image(s3, "thumbnails/120/small.jpg").size == (120, 40)


def test_exif_orientation_is_applied_and_not_left_to_contradict_the_pixels(s3: Any) -> None:
    # Orientation 6: stored landscape, to be shown turned 90 degrees clockwise (portrait).
    s3.put_object(Bucket=TENANT_BUCKET, Key="images/turned.jpg", Body=jpeg_bytes(400, 200, 6))
    write_run(s3, "thumbnails", [[unit("t1", ["images/turned.jpg"], parameters={"sizes": [100]})]])
    assert run_worker_in_process().code == EXIT_OK
    thumbnail = open_image(s3, "thumbnails/100/turned.jpg")
    assert thumbnail.size == (50, 100)
    assert thumbnail.getexif().get(0x0112, 1) == 1
    # The stored left half (red) ends up on top after a clockwise turn.
    top = thumbnail.convert("RGB").getpixel((25, 10))
    bottom = thumbnail.convert("RGB").getpixel((25, 90))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[1] < 120 and bottom[1] > 200


def test_transparent_png_becomes_a_jpeg_on_white(s3: Any) -> None:
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    s3.put_object(Bucket=TENANT_BUCKET, Key="images/logo.png", Body=buffer.getvalue())
    write_run(s3, "thumbnails", [[unit("t1", ["images/logo.png"], parameters={"sizes": [20]})]])
    assert run_worker_in_process().code == EXIT_OK
    thumbnail = open_image(s3, "thumbnails/20/logo.png")
    assert thumbnail.format == "JPEG"
    assert thumbnail.convert("RGB").getpixel((10, 5)) == (255, 255, 255)


def test_corrupt_and_missing_images_are_reported_without_sinking_the_chunk(s3: Any) -> None:
    keys = [f"images/{n}.jpg" for n in range(20)]
    for key in keys[:18]:
        s3.put_object(Bucket=TENANT_BUCKET, Key=key, Body=jpeg_bytes(64, 48))
    s3.put_object(Bucket=TENANT_BUCKET, Key=keys[18], Body=b"\xff\xd8 this is no jpeg")
    # keys[19] was planned but deleted since: also one bad item, not a chunk failure.
    write_run(s3, "thumbnails", [[unit("t1", keys, parameters={"sizes": [32]})]])

    run = run_worker_in_process()

    assert run.code == EXIT_OK, run.stderr
    assert len(keys_under(s3, "thumbnails/32/")) == 18
    result = get_json(s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/0.json")
    assert result["status"] == "SUCCEEDED"
    tenant = result["tenants"][0]
    assert (tenant["items_ok"], tenant["items_failed"]) == (18, 2)
    failed = {failure["item"]: failure["error"] for failure in tenant["failures"]}
    assert set(failed) == {keys[18], keys[19]}
    assert "not a readable image" in failed[keys[18]]
    assert "does not exist" in failed[keys[19]]


def test_too_many_failures_fail_the_chunk_with_a_result_saying_so(s3: Any) -> None:
    keys = [f"images/{n}.jpg" for n in range(4)]
    s3.put_object(Bucket=TENANT_BUCKET, Key=keys[0], Body=jpeg_bytes(64, 48))
    for key in keys[1:]:
        s3.put_object(Bucket=TENANT_BUCKET, Key=key, Body=b"garbage")
    write_run(s3, "thumbnails", [[unit("t1", keys, parameters={"sizes": [32]})]])

    run = run_worker_in_process(BGTASKS_MAX_FAILED_SHARE="0.5")

    assert run.code == EXIT_TOO_MANY_FAILED
    assert len(run.stderr.splitlines()) == 1
    assert "3 of 4 items failed" in run.stderr
    result = get_json(s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/0.json")
    assert result["status"] == "FAILED"
    assert result["tenants"][0]["items_failed"] == 3


def test_failure_share_at_the_limit_still_succeeds(s3: Any) -> None:
    keys = [f"images/{n}.jpg" for n in range(10)]
    for key in keys[:9]:
        s3.put_object(Bucket=TENANT_BUCKET, Key=key, Body=jpeg_bytes(16, 16))
    s3.put_object(Bucket=TENANT_BUCKET, Key=keys[9], Body=b"garbage")
    write_run(s3, "thumbnails", [[unit("t1", keys, parameters={"sizes": [8]})]])
    assert run_worker_in_process().code == EXIT_OK  # 1 of 10 is the default share, 0.1


def test_retried_child_rewrites_the_same_keys_with_the_same_bytes(s3: Any) -> None:
    keys = [f"images/{n}.jpg" for n in range(3)]
    for key in keys:
        s3.put_object(Bucket=TENANT_BUCKET, Key=key, Body=jpeg_bytes(900, 600))
    write_run(s3, "thumbnails", [[unit("t1", keys[:2])], [unit("t1", keys[2:])]])

    def outputs() -> dict[str, bytes]:
        return {
            key: s3.get_object(Bucket=TENANT_BUCKET, Key=key)["Body"].read()
            for key in keys_under(s3, "thumbnails/")
        }

    assert run_worker_in_process(index=1, AWS_BATCH_JOB_ATTEMPT="1").code == EXIT_OK
    first = outputs()
    assert run_worker_in_process(index=1, AWS_BATCH_JOB_ATTEMPT="2").code == EXIT_OK
    assert outputs() == first
    assert len(first) == 3  # only this chunk's image, in three sizes
    result = get_json(s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/1.json")
    assert result["attempt"] == 2
    listing = s3.list_objects_v2(Bucket=RUNS_BUCKET, Prefix=f"runs/{RUN_ID}/results/")
    assert [entry["Key"] for entry in listing["Contents"]] == [f"runs/{RUN_ID}/results/1.json"]
