"""Sizes shared by the imaging engines."""

from __future__ import annotations

# Refuse decompression bombs as a bad item: 120 megapixels is a 13,400 x 9,000 photo.
MAX_PIXELS = 120_000_000


def fitted(width: int, height: int, long_side: int) -> tuple[int, int]:
    """The size with the long side at most `long_side`, aspect kept, never upscaled."""
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))
