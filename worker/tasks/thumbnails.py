"""`thumbnails`: for each image of the unit, JPEG thumbnails at the configured sizes.

Items are object keys under `<prefix>images/`; a thumbnail goes to
`<prefix>thumbnails/<size>/<key without "<prefix>images/">`. Sizes are the long side in
pixels (never upscaled). One unreadable image is a failed item, not a failed chunk.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from worker.chunks import Unit
from worker.errors import BadInputError, ItemError
from worker.imaging import DEFAULT_QUALITY, DEFAULT_SIZES, make_thumbnails
from worker.io_pipeline import Uploads, prefetched
from worker.outcome import UnitOutcome
from worker.s3store import ObjectStore

# S3 round trips (one GET, three PUTs per image) take as long as the image work: overlap them.
IO_THREADS = 8
FETCH_AHEAD = 4
MAX_PENDING_UPLOADS = 12

PARAMETERS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {
        "sizes": {
            "type": "array",
            "minItems": 1,
            "maxItems": 10,
            "uniqueItems": True,
            "items": {"type": "integer", "minimum": 1, "maximum": 10000},
        },
        "quality": {"type": "integer", "minimum": 1, "maximum": 95},
    },
}


def check(unit: Unit, parameters: Mapping[str, Any]) -> None:
    """Every item must be one of this tenant's images: nothing outside `<prefix>images/`."""
    images = f"{unit.prefix}images/"
    for key in unit.items:
        if not key.startswith(images) or len(key) == len(images):
            raise BadInputError(
                f"tenant {unit.tenant_id!r}: thumbnails item {key!r} is not under {images!r}"
            )


def run(unit: Unit, parameters: Mapping[str, Any], store: ObjectStore) -> UnitOutcome:
    sizes = tuple(parameters.get("sizes", DEFAULT_SIZES))
    quality = int(parameters.get("quality", DEFAULT_QUALITY))
    images = f"{unit.prefix}images/"
    outcome = UnitOutcome()
    with ThreadPoolExecutor(max_workers=IO_THREADS, thread_name_prefix="s3") as pool:
        uploads = Uploads(pool, MAX_PENDING_UPLOADS)
        try:
            fetch = partial(store.get, unit.bucket)
            for key, fetched in prefetched(pool, unit.items, fetch, FETCH_AHEAD):
                try:
                    thumbnails = make_thumbnails(fetched.result().body, sizes, quality)
                except ItemError as error:
                    outcome.failed(key, str(error))
                    continue
                relative = key[len(images) :]
                for size, body in thumbnails.items():
                    target = f"{unit.prefix}thumbnails/{size}/{relative}"
                    uploads.submit(partial(store.put, unit.bucket, target, body, "image/jpeg"))
                outcome.ok(outputs=len(thumbnails))
        finally:
            uploads.wait()  # every write finished (or the first failure raised) before return
    return outcome
