"""`thumbnails`: for each image of the unit, JPEG thumbnails at the configured sizes.

Items are object keys under `<prefix>images/`; a thumbnail goes to
`<prefix>thumbnails/<size>/<key without "<prefix>images/">`. Sizes are the long side in
pixels (never upscaled). One unreadable image is a failed item, not a failed chunk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from worker.chunks import Unit
from worker.errors import BadInputError, ItemError
from worker.imaging import DEFAULT_QUALITY, DEFAULT_SIZES, make_thumbnails
from worker.outcome import UnitOutcome
from worker.s3store import ObjectStore

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
    for key in unit.items:
        try:
            original = store.get(unit.bucket, key).body
            thumbnails = make_thumbnails(original, sizes, quality)
        except ItemError as error:
            outcome.failed(key, str(error))
            continue
        relative = key[len(images) :]
        for size, body in thumbnails.items():
            store.put(unit.bucket, f"{unit.prefix}thumbnails/{size}/{relative}", body, "image/jpeg")
        outcome.ok(outputs=len(thumbnails))
    return outcome
