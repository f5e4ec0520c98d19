"""Thumbnails: decode once, resize each size from the previous one, encode JPEG.

Two engines make the same thumbnails. libvips (pyvips, from the pyvips-binary wheel) is the
fast one, used for what it can load (JPEG, PNG, WebP, TIFF, GIF, HEIF/AVIF): its SIMD Lanczos
resize is what makes the thumbnails target reachable (bench/bench_thumbnails.py). Pillow
takes what libvips refuses (BMP, for one) and is the reference the benchmark compares with.

Both apply EXIF orientation to the pixels and copy no EXIF into the thumbnails, so no
orientation tag can contradict the pixels; an embedded ICC profile is kept so colours stay
right. Sizes are the long side in pixels and never upscale.
"""

from __future__ import annotations

from collections.abc import Sequence

from worker import imaging_pillow

try:
    from worker import imaging_vips
except ImportError:  # pragma: no cover - pyvips is pinned; this keeps the worker usable without
    imaging_vips = None  # type: ignore[assignment]

DEFAULT_SIZES: tuple[int, ...] = (1600, 800, 200)
DEFAULT_QUALITY = 85


def engine_name() -> str:
    """Which engine handles the formats both can read."""
    return "pyvips" if imaging_vips is not None else "pillow"


def make_thumbnails(data: bytes, sizes: Sequence[int], quality: int) -> dict[int, bytes]:
    """JPEG bytes per size (largest first); ItemError when the image cannot be read."""
    ordered = sorted(set(sizes), reverse=True)
    if imaging_vips is not None:
        try:
            return imaging_vips.make_thumbnails(data, ordered, quality)
        except imaging_vips.NotForVipsError:
            pass  # Pillow gets its chance; if it fails too, its error is the one reported
    return imaging_pillow.make_thumbnails(data, ordered, quality)
