"""Both imaging engines: orientation, colour modes, metadata, bad images, and which runs."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pytest
from PIL import Image, ImageCms, ImageOps, ImageStat
from worker_fixtures import jpeg_bytes

from worker import imaging, imaging_pillow, imaging_vips
from worker.errors import ItemError

Engine = Callable[[bytes, Sequence[int], int], dict[int, bytes]]
ENGINES: dict[str, Engine] = {
    "vips": imaging_vips.make_thumbnails,
    "pillow": imaging_pillow.make_thumbnails,
}


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def encoded(image: Image.Image, format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def test_the_fast_engine_is_the_one_in_use() -> None:
    assert imaging.engine_name() == "pyvips"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_applied(engine: str, orientation: int) -> None:
    # Red top-left quadrant on white: each orientation puts it in a different corner.
    original = Image.new("RGB", (400, 200), (255, 255, 255))
    original.paste((220, 0, 0), (0, 0, 200, 100))
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encoded(original, "JPEG", quality=95, exif=exif.tobytes())
    expected = ImageOps.exif_transpose(decoded(data)).resize(
        (100, 50) if orientation < 5 else (50, 100)
    )

    thumbnail = decoded(ENGINES[engine](data, [100], 85)[100])

    assert thumbnail.size == expected.size
    assert thumbnail.getexif().get(0x0112, 1) == 1
    for box in quadrants(*thumbnail.size):
        got = ImageStat.Stat(thumbnail.crop(box)).mean
        want = ImageStat.Stat(expected.crop(box)).mean
        assert max(abs(g - w) for g, w in zip(got, want, strict=True)) < 12, (box, got, want)


def quadrants(width: int, height: int) -> list[tuple[int, int, int, int]]:
    w, h = width // 2, height // 2
    return [(0, 0, w, h), (w, 0, width, h), (0, h, w, height), (w, h, width, height)]


@pytest.mark.parametrize("engine", ENGINES)
def test_chained_sizes_come_out_largest_first_at_the_right_size(engine: str) -> None:
    out = ENGINES[engine](jpeg_bytes(3000, 2000), [1600, 800, 200], 85)
    assert list(out) == [1600, 800, 200]
    assert [decoded(body).size for body in out.values()] == [(1600, 1067), (800, 533), (200, 133)]


@pytest.mark.parametrize("engine", ENGINES)
def test_exif_is_not_copied_but_the_icc_profile_is(engine: str) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.new("RGB", (300, 200), (10, 120, 200))
    data = encoded(image, "JPEG", exif=exif.tobytes(), icc_profile=profile)
    thumbnail = decoded(ENGINES[engine](data, [100], 85)[100])
    assert b"SecretCam" not in ENGINES[engine](data, [100], 85)[100]
    assert len(thumbnail.getexif()) == 0
    assert thumbnail.info.get("icc_profile")


@pytest.mark.parametrize(
    ("name", "image", "format", "mode"),
    [
        ("cmyk jpeg", Image.new("CMYK", (120, 80), (0, 255, 255, 0)), "JPEG", "RGB"),
        ("grey jpeg", Image.new("L", (120, 80), 90), "JPEG", "L"),
        ("16-bit grey png", Image.new("I;16", (120, 80), 40000), "PNG", "L"),
        ("palette png", Image.new("P", (120, 80), 3), "PNG", "RGB"),
        ("bmp", Image.new("RGB", (120, 80), (0, 200, 0)), "BMP", "RGB"),
        ("webp", Image.new("RGB", (120, 80), (0, 0, 200)), "WEBP", "RGB"),
    ],
)
def test_colour_modes_and_formats_become_plain_jpegs(
    name: str, image: Image.Image, format: str, mode: str
) -> None:
    out = imaging.make_thumbnails(encoded(image, format), [60], 85)
    thumbnail = decoded(out[60])
    assert (thumbnail.format, thumbnail.mode, thumbnail.size) == ("JPEG", mode, (60, 40)), name


def test_cmyk_red_stays_red() -> None:
    data = encoded(Image.new("CMYK", (120, 80), (0, 255, 255, 0)), "JPEG")
    red, green, blue = decoded(imaging.make_thumbnails(data, [60], 85)[60]).getpixel((30, 20))  # type: ignore[misc]
    assert red > 200 and green < 80 and blue < 80


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xd8\xff\xe0 not really",
        jpeg_bytes(800, 600)[:3000],  # truncated
        b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>",
    ],
    ids=["empty", "bad header", "truncated", "svg"],
)
def test_unreadable_images_are_item_errors(data: bytes) -> None:
    with pytest.raises(ItemError, match="not a readable image"):
        imaging.make_thumbnails(data, [100], 85)


@pytest.mark.parametrize("engine", ENGINES)
def test_decompression_bombs_are_item_errors(engine: str) -> None:
    data = encoded(Image.new("1", (12_000, 10_001)), "PNG")
    with pytest.raises(ItemError, match="too large"):
        ENGINES[engine](data, [100], 85)


def photo_like(width: int, height: int) -> bytes:
    """Gradient, shapes and texture: enough detail to show a resampling difference."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    texture = Image.effect_mandelbrot((width, height), (-2.2, -1.2, 0.8, 1.2), 40).convert("RGB")
    return encoded(Image.blend(image, texture, 0.4), "JPEG", quality=92)


@pytest.mark.parametrize(("largest", "shrink"), [(1600, 2), (1000, 4), (500, 8), (2101, 1)])
def test_large_jpegs_are_decoded_at_a_dct_scale_that_keeps_the_largest_size(
    largest: int, shrink: int
) -> None:
    import pyvips

    image = pyvips.Image.new_from_buffer(photo_like(4200, 2800), "", access="sequential")
    assert imaging_vips.jpeg_shrink(image, largest) == shrink


def test_dct_scaled_thumbnails_match_pillow_full_decode() -> None:
    from PIL import ImageChops

    data = photo_like(4032, 3024)
    ours = imaging_vips.make_thumbnails(data, [1600, 800, 200], 85)
    reference = imaging_pillow.make_thumbnails(data, [1600, 800, 200], 85)
    for size in (1600, 800, 200):
        a, b = decoded(ours[size]), decoded(reference[size])
        assert a.size == b.size
        difference = ImageStat.Stat(ImageChops.difference(a, b)).mean
        assert max(difference) < 4, (size, difference)
