"""Fetch-ahead and background uploads: order kept, work overlapped, failures not lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from worker_fixtures import jpeg_bytes

from worker.chunks import Unit
from worker.errors import TransientError
from worker.io_pipeline import Uploads, prefetched
from worker.s3store import StoredObject
from worker.tasks import thumbnails


def test_prefetched_keeps_order_and_bounds_what_runs_ahead() -> None:
    started: list[int] = []
    with ThreadPoolExecutor(4) as pool:
        for position, (item, future) in enumerate(
            prefetched(pool, range(10), lambda n: started.append(n) or n * n, window=3)
        ):
            assert item == position and future.result() == position * position
            assert len(started) <= position + 3


def test_uploads_wait_raises_the_first_failure_after_all_finish() -> None:
    done: list[int] = []

    def write(n: int) -> None:
        if n == 2:
            raise TransientError("writing: SlowDown")
        done.append(n)

    with ThreadPoolExecutor(2) as pool:
        uploads = Uploads(pool, max_pending=100)
        for n in range(6):
            uploads.submit(lambda n=n: write(n))  # type: ignore[misc]
        with pytest.raises(TransientError, match="SlowDown"):
            uploads.wait()
    assert sorted(done) == [0, 1, 3, 4, 5]


class OverlapProvingStore:
    """Each GET and PUT waits until another call of its kind is in flight at the same time;
    run one at a time, the barrier times out and the task fails."""

    def __init__(self) -> None:
        self.gets = threading.Barrier(2, timeout=10)
        self.puts = threading.Barrier(2, timeout=10)
        self.written: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def get(self, bucket: str, key: str) -> StoredObject:
        self.gets.wait()
        return StoredObject(jpeg_bytes(64, 48), datetime(2026, 1, 1, tzinfo=UTC))

    def put(self, bucket: str, key: str, body: bytes, content_type: str, **extra: Any) -> None:
        self.puts.wait()
        with self.lock:
            self.written[key] = body


def test_thumbnails_overlap_fetches_and_uploads() -> None:
    store = OverlapProvingStore()
    keys = tuple(f"images/{n}.jpg" for n in range(6))
    unit = Unit("t1", "bucket-a", "", keys, 0, 1, {})
    outcome = thumbnails.run(unit, {"sizes": [32, 16]}, store)  # type: ignore[arg-type]
    assert outcome.items_ok == 6
    assert sorted(store.written) == sorted(
        f"thumbnails/{size}/{n}.jpg" for n in range(6) for size in (32, 16)
    )
