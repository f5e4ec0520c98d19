"""Thumbnails benchmark (issue 5): images per second on one core, 3000x2000 JPEGs.

Naive Pillow (open, then three LANCZOS resizes from the original, JPEG q85) against the
worker's own `worker.imaging.make_thumbnails` (1600, 800, 200 px, q85), side by side in one
run, plus the variants that decided the design. Target: ours at least 4x naive.
The images are generated here (photo-like: smooth shapes, texture, noise), never downloaded.
Prints figures; passes or fails nothing.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("VIPS_CONCURRENCY", "1")  # one core, before libvips starts its threads

from PIL import Image, ImageDraw, ImageFilter

from worker.imaging import DEFAULT_SIZES, engine_name, make_thumbnails

WIDTH, HEIGHT = 3000, 2000
IMAGES = int(os.environ.get("BGTASKS_BENCH_IMAGES", "6"))
ROUNDS = int(os.environ.get("BGTASKS_BENCH_ROUNDS", "3"))
QUALITY = 85


def photo_like_jpeg(seed: int, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """A JPEG (q90) with the mix of smooth areas, edges and grain that photos have."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(base)
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(40, 500)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(3))
    texture = Image.effect_mandelbrot((width, height), (-2.2, -1.2, 0.8, 1.2), 60).convert("RGB")
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    image = Image.blend(Image.blend(base, texture, 0.25), grain, 0.15)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def naive_pillow(data: bytes) -> None:
    """The baseline of the issue, literally: open, then three LANCZOS resizes from the original.
    (`resize()`, not `thumbnail()`: thumbnail's default reducing_gap is already a trick.)"""
    original = Image.open(io.BytesIO(data))
    original.load()
    for size in DEFAULT_SIZES:
        scale = size / max(original.size)
        target = (round(original.width * scale), round(original.height * scale))
        original.resize(target, Image.Resampling.LANCZOS).save(
            io.BytesIO(), "JPEG", quality=QUALITY
        )


def pillow_chained(data: bytes) -> None:
    """Pillow, each size from the previous one, with draft() and reducing_gap where they help."""
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", (max(DEFAULT_SIZES), max(DEFAULT_SIZES)))  # DCT scaling if >= 2x
    image.load()
    current: Image.Image = image
    for size in DEFAULT_SIZES:
        current = current.copy()
        current.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
        current.save(io.BytesIO(), "JPEG", quality=QUALITY)


def pyvips_each_from_original(data: bytes) -> None:
    """libvips, but each size decoded and resized from the original (its thumbnail())."""
    import pyvips

    for size in DEFAULT_SIZES:
        pyvips.Image.thumbnail_buffer(data, size).jpegsave_buffer(Q=QUALITY)


def pillow_decode_only(data: bytes) -> None:
    Image.open(io.BytesIO(data)).load()


def ours(data: bytes) -> None:
    make_thumbnails(data, DEFAULT_SIZES, QUALITY)


def images_per_second(
    contenders: dict[str, Callable[[bytes], None]], images: list[bytes]
) -> dict[str, float]:
    """Best of ROUNDS passes over every image for each contender, the contenders taking turns
    within each round, so that load from other processes on this shared machine falls on all
    of them alike; one warm-up call each first."""
    for function in contenders.values():
        function(images[0])
    best = dict.fromkeys(contenders, 0.0)
    for _ in range(ROUNDS):
        for label, function in contenders.items():
            started = time.perf_counter()
            for data in images:
                function(data)
            best[label] = max(best[label], len(images) / (time.perf_counter() - started))
    return best


NAIVE = "naive Pillow (3 resizes from the original)"
OURS = f"ours: worker.imaging ({engine_name()})"


def main() -> None:
    images = [photo_like_jpeg(seed) for seed in range(IMAGES)]
    mean_kib = statistics.mean(len(data) for data in images) / 1024
    print(
        f"thumbnails: {IMAGES} generated {WIDTH}x{HEIGHT} JPEGs (~{mean_kib:.0f} KiB), "
        f"sizes {list(DEFAULT_SIZES)}, q{QUALITY}, one core, best of {ROUNDS}"
    )
    rates = images_per_second(
        {
            NAIVE: naive_pillow,
            "Pillow chained + draft + reducing_gap": pillow_chained,
            "pyvips thumbnail() x3 from the original": pyvips_each_from_original,
            OURS: ours,
            "Pillow JPEG decode alone (reference)": pillow_decode_only,
        },
        images,
    )
    naive = rates[NAIVE]
    for label, rate in rates.items():
        print(f"  {label:46s} {rate:6.1f} images/s  {rate / naive:4.1f}x naive")
    print(
        f"thumbnails: ours {rates[OURS]:.1f} vs naive {naive:.1f} images/s: "
        f"{rates[OURS] / naive:.2f}x (target >= 4x)"
    )
    # Phone photos (12 MP) are at least twice the largest size: DCT scaling applies.
    phones = [photo_like_jpeg(seed, 4032, 3024) for seed in range(max(2, IMAGES // 2))]
    rates = images_per_second({NAIVE: naive_pillow, OURS: ours}, phones)
    print(
        f"thumbnails 4032x3024: ours {rates[OURS]:.1f} vs naive {rates[NAIVE]:.1f} images/s: "
        f"{rates[OURS] / rates[NAIVE]:.2f}x"
    )


if __name__ == "__main__":
    main()
