"""Demo tenants: generated images and URL lists of very different sizes, and their manifest.

Nothing is downloaded: every image is drawn with Pillow from a seed, so the demo's data is the
same on every machine (the bytes are deterministic for a given Pillow version).
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw

IMAGE_SIZES = ((1600, 1200), (1024, 768), (800, 800), (640, 960), (1920, 1080))


@dataclass(frozen=True)
class DemoTenant:
    """One demo tenant: how many images and URLs it has, and whether it is enabled."""

    tenant_id: str
    images: int
    urls: int
    enabled: bool = True


# Sizes spread over two orders of magnitude so the planner has to split and pack.
DEMO_TENANTS: tuple[DemoTenant, ...] = (
    DemoTenant("acme", images=30, urls=5000),
    DemoTenant("globex", images=12, urls=900),
    DemoTenant("initech", images=6, urls=150),
    DemoTenant("umbrella", images=3, urls=40),
    DemoTenant("hooli", images=1, urls=3),
    DemoTenant("soylent", images=4, urls=10, enabled=False),
)


@dataclass(frozen=True)
class SeededTenant:
    """Where a tenant's data went: the manifest entry and the keys written."""

    tenant: DemoTenant
    bucket: str
    prefix: str
    image_keys: tuple[str, ...]

    def manifest_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "tenant_id": self.tenant.tenant_id,
            "bucket": self.bucket,
            "enabled": self.tenant.enabled,
            "parameters": {"sizes": [64, 256, 512]},
        }
        if self.prefix:
            entry["prefix"] = self.prefix
        return entry


def demo_image(tenant_id: str, number: int, image_format: str = "JPEG", edition: str = "") -> bytes:
    """A picture (gradient sky, sun, hills) drawn from a seed; JPEG or PNG bytes.

    `edition` is written on the picture: a new edition is new content to the planner (which
    fingerprints its inputs), so every `make demo` has work to show; the same edition gives
    the same bytes.
    """
    rng = random.Random(f"{tenant_id}/{number}")
    width, height = IMAGE_SIZES[rng.randrange(len(IMAGE_SIZES))]
    # Draw small and scale up: quick, and still a real multi-megapixel image to resize.
    small = (width // 8, height // 8)
    image = Image.new("RGB", small)
    draw = ImageDraw.Draw(image)
    top = (rng.randrange(40, 120), rng.randrange(80, 180), rng.randrange(160, 255))
    bottom = (rng.randrange(150, 255), rng.randrange(100, 200), rng.randrange(60, 160))
    for y in range(small[1]):
        share = y / max(1, small[1] - 1)
        color = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (small[0], y)], fill=color)
    radius = rng.randrange(small[1] // 10, small[1] // 4)
    cx, cy = rng.randrange(small[0]), rng.randrange(small[1] // 2)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=(255, 230, 120))
    for _ in range(3):
        base = rng.randrange(small[1] // 2, small[1])
        peak = rng.randrange(small[0])
        shade = rng.randrange(30, 110)
        draw.polygon(
            [(0, small[1]), (peak, base - small[1] // 3), (small[0], small[1])],
            fill=(shade // 2, shade, shade // 3),
        )
    draw.text((4, 4), f"{tenant_id} #{number} {edition}".rstrip(), fill=(255, 255, 255))
    image = image.resize((width, height), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, format=image_format, quality=85)
    return out.getvalue()


def demo_urls(tenant_id: str, count: int) -> str:
    """A URL list (`urls.txt`) of `count` pages on the tenant's site."""
    host = f"https://www.{tenant_id}.example"
    sections = ("products", "blog", "help", "careers", "news")
    lines = [f"{host}/{sections[n % len(sections)]}/page-{n}" for n in range(count)]
    return "\n".join(lines) + ("\n" if lines else "")


def image_key(prefix: str, number: int) -> str:
    # Every fifth image is a PNG: the worker must read more than one format.
    suffix = "png" if number % 5 == 4 else "jpg"
    return f"{prefix}images/photo-{number:04d}.{suffix}"


def seed_tenant(
    s3: Any, tenant: DemoTenant, bucket: str, prefix: str = "", edition: str = ""
) -> SeededTenant:
    """Write one tenant's images and URL list into `bucket` under `prefix`."""
    keys: list[str] = []
    for number in range(tenant.images):
        key = image_key(prefix, number)
        image_format = "PNG" if key.endswith(".png") else "JPEG"
        body = demo_image(tenant.tenant_id, number, image_format, edition)
        content_type = "image/png" if image_format == "PNG" else "image/jpeg"
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)
        keys.append(key)
    if tenant.urls:
        s3.put_object(
            Bucket=bucket,
            Key=f"{prefix}urls.txt",
            Body=demo_urls(tenant.tenant_id, tenant.urls).encode(),
            ContentType="text/plain",
        )
    return SeededTenant(tenant=tenant, bucket=bucket, prefix=prefix, image_keys=tuple(keys))


def ensure_private_bucket(s3: Any, bucket: str) -> None:
    """Create `bucket` if missing: encrypted, public access blocked (safe defaults)."""
    try:
        s3.head_bucket(Bucket=bucket)
        return
    except s3.exceptions.ClientError:
        pass
    region = s3.meta.region_name
    kwargs: dict[str, Any] = {"Bucket": bucket}
    if region and region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**kwargs)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )


def write_manifest(s3: Any, manifest_uri: str, seeded: Sequence[SeededTenant]) -> None:
    """Write the tenant manifest (docs/interfaces.md, "Tenant manifest") to `s3://b/key`."""
    bucket, key = split_s3_uri(manifest_uri)
    body = json.dumps([t.manifest_entry() for t in seeded], indent=2).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")


def split_s3_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://") or "/" not in uri[5:]:
        raise ValueError(f"not an s3://bucket/key URI: {uri!r}")
    bucket, key = uri[5:].split("/", 1)
    return bucket, key
