"""The Pillow engine: any format Pillow reads, chained LANCZOS resizes."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

from PIL import Image, ImageOps, UnidentifiedImageError

from worker.errors import ItemError
from worker.imaging_size import MAX_PIXELS, fitted


def make_thumbnails(data: bytes, sizes: Sequence[int], quality: int) -> dict[int, bytes]:
    """JPEG bytes per size, `sizes` largest first; ItemError when the image cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if opened.width * opened.height > MAX_PIXELS:
                raise ItemError(f"image too large: {opened.width}x{opened.height}")
            opened.load()
        icc_profile = opened.info.get("icc_profile")
        image = _to_jpeg_mode(ImageOps.exif_transpose(opened))
    except ItemError:
        raise
    except UnidentifiedImageError as error:  # its message names a BytesIO object: useless
        raise ItemError("not a readable image: unknown or damaged format") from error
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ItemError(f"not a readable image: {error}") from error
    except Image.DecompressionBombWarning as error:
        raise ItemError(f"image too large: {error}") from error
    out: dict[int, bytes] = {}
    current: Image.Image = image
    for size in sizes:
        target = fitted(image.width, image.height, size)
        if current.size != target:
            current = current.resize(target, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        current.save(buffer, "JPEG", quality=quality, icc_profile=icc_profile)
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
