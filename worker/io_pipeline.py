"""Overlap S3 latency with image work: fetch ahead, upload behind, in a small thread pool.

The work itself stays on the calling thread (libvips and Pillow release the GIL while they
decode and resize, and boto3 while it waits on the network). Memory stays bounded: at most
`window` fetched bodies and `max_pending` uploads are held at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Fetched = TypeVar("Fetched")


def prefetched(
    pool: ThreadPoolExecutor,
    items: Iterable[Item],
    fetch: Callable[[Item], Fetched],
    window: int,
) -> Iterator[tuple[Item, Future[Fetched]]]:
    """Each item with the future of its fetch, in order, `window` fetches running ahead."""
    queue: deque[tuple[Item, Future[Fetched]]] = deque()
    try:
        for item in items:
            queue.append((item, pool.submit(fetch, item)))
            if len(queue) >= window:
                yield queue.popleft()
        while queue:
            yield queue.popleft()
    finally:  # the consumer stopped early (an error): fetches not started are not needed
        for _, future in queue:
            future.cancel()


class Uploads:
    """Background writes; `wait()` re-raises the first failure once all have finished."""

    def __init__(self, pool: ThreadPoolExecutor, max_pending: int) -> None:
        self._pool = pool
        self._max_pending = max_pending
        self._pending: deque[Future[None]] = deque()

    def submit(self, write: Callable[[], None]) -> None:
        while len(self._pending) >= self._max_pending:
            self._pending.popleft().result()  # raises at once: no point writing more
        self._pending.append(self._pool.submit(write))

    def wait(self) -> None:
        first_error: BaseException | None = None
        while self._pending:
            error = self._pending.popleft().exception()
            if error is not None and first_error is None:
                first_error = error
        if first_error is not None:
            raise first_error
