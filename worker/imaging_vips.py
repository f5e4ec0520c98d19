"""The libvips engine: streamed decode fused with the first resize, then chained resizes.

The first resize reads the image sequentially while decoding (no full-size copy is kept);
each later size is made from the previous one, held in memory. Orientation is applied to each
small output rather than to the large original (turning a thumbnail is cheap).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pyvips

from worker.errors import ItemError
from worker.imaging_size import MAX_PIXELS, fitted

# A Batch child gets whole vCPUs and the worker runs one per vCPU: one thread by default, so a
# child never competes with its neighbours on the same instance. VIPS_CONCURRENCY overrides.
pyvips.concurrency_set(int(os.environ.get("VIPS_CONCURRENCY", "") or 1))
# Each image is used once: the operation cache would only hold memory.
pyvips.cache_set_max(0)
# Tenant images are untrusted: no loaders libvips marks unfit for untrusted input.
pyvips.block_untrusted_set(True)


class NotForVipsError(Exception):
    """libvips cannot read this input; another engine may."""


def make_thumbnails(data: bytes, sizes: Sequence[int], quality: int) -> dict[int, bytes]:
    """JPEG bytes per size, `sizes` largest first."""
    try:
        image = pyvips.Image.new_from_buffer(data, "", access="sequential", fail_on="truncated")
    except pyvips.Error as error:
        raise NotForVipsError(str(error)) from error
    if image.width * image.height > MAX_PIXELS:
        raise ItemError(f"image too large: {image.width}x{image.height}")
    try:
        image = _to_srgb_or_grey(image)
        out: dict[int, bytes] = {}
        current = image
        for size in sizes:
            width, height = fitted(image.width, image.height, size)
            if (current.width, current.height) != (width, height) or current is image:
                current = current.resize(
                    width / current.width, vscale=height / current.height, kernel="lanczos3"
                ).copy_memory()
            out[size] = current.autorot().jpegsave_buffer(Q=quality, keep="icc")
        return out
    except pyvips.Error as error:  # decoding happens lazily, in the first copy_memory
        raise NotForVipsError(str(error)) from error


def _to_srgb_or_grey(image: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB or grey without alpha, as JPEG holds (alpha is flattened onto white)."""
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    grey = image.interpretation in ("b-w", "grey16")
    wanted = "b-w" if grey else "srgb"
    if image.interpretation != wanted or image.format != "uchar":
        image = image.colourspace(wanted)
        if image.get_typeof("icc-profile-data") != 0:
            image = image.copy()
            image.remove("icc-profile-data")  # it described the colours before conversion
        if image.format != "uchar":
            image = image.cast("uchar")
    return image
