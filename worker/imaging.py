"""Thumbnail making: decode once, resize each size from the previous one, encode JPEG.

EXIF orientation is applied (the pixels are turned) and no metadata is copied into the
thumbnails, so the orientation tag can never contradict the pixels.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

from PIL import Image, ImageOps

from worker.errors import ItemError

DEFAULT_SIZES: tuple[int, ...] = (1600, 800, 200)
DEFAULT_QUALITY = 85
# Refuse decompression bombs as a bad item (Pillow's own limit is a warning below 2x).
MAX_PIXELS = 120_000_000


def fitted(width: int, height: int, long_side: int) -> tuple[int, int]:
    """The size with the long side at most `long_side`, aspect kept, never upscaled."""
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def make_thumbnails(data: bytes, sizes: Sequence[int], quality: int) -> dict[int, bytes]:
    """JPEG bytes per size; ItemError when the image cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if opened.width * opened.height > MAX_PIXELS:
                raise ItemError(f"image too large: {opened.width}x{opened.height}")
            opened.load()
        image = _to_jpeg_mode(ImageOps.exif_transpose(opened))
    except ItemError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ItemError(f"not a readable image: {error}") from error
    except Image.DecompressionBombWarning as error:
        raise ItemError(f"image too large: {error}") from error
    out: dict[int, bytes] = {}
    current: Image.Image = image
    for size in sorted(sizes, reverse=True):
        target = fitted(image.width, image.height, size)
        if current.size != target:
            current = current.resize(target, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        current.save(buffer, "JPEG", quality=quality)
        out[size] = buffer.getvalue()
    return out


def _to_jpeg_mode(image: Image.Image) -> Image.Image:
    """RGB or L; transparent images are flattened onto white."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
