"""The libvips engine: streamed decode fused with the first resize, then chained resizes.

The first resize reads the image sequentially while decoding (no full-size copy is kept);
each later size is made from the previous one, held in memory. A JPEG at least twice the
largest size is decoded at 1/2, 1/4 or 1/8 scale by the JPEG library itself (DCT scaling),
never below the largest size. Orientation is applied to each small output rather than to the
large original (turning a thumbnail is cheap).
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
    full_width, full_height = image.width, image.height
    try:
        shrink = jpeg_shrink(image, max(sizes))
        if shrink > 1:
            image = pyvips.Image.jpegload_buffer(
                data, shrink=shrink, access="sequential", fail_on="truncated"
            )
        image = _to_srgb_or_grey(image)
        out: dict[int, bytes] = {}
        current = image
        for size in sizes:
            width, height = fitted(full_width, full_height, size)
            if (current.width, current.height) != (width, height):
                current = current.resize(
                    width / current.width, vscale=height / current.height, kernel="lanczos3"
                ).copy_memory()
            elif current is image:
                current = image.copy_memory()  # decode once; later sizes start from here
            out[size] = current.autorot().jpegsave_buffer(Q=quality, keep="icc")
        return out
    except pyvips.Error as error:  # decoding happens lazily, in the first copy_memory
        raise NotForVipsError(str(error)) from error


def jpeg_shrink(image: pyvips.Image, largest: int) -> int:
    """The DCT scaling (1, 2, 4 or 8) that keeps the decoded long side >= `largest`."""
    if image.get_typeof("vips-loader") == 0 or image.get("vips-loader") != "jpegload_buffer":
        return 1
    long_side = max(image.width, image.height)
    for shrink in (8, 4, 2):
        if long_side // shrink >= largest:
            return shrink
    return 1


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
