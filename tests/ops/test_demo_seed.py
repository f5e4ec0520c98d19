"""Demo seeding: generated images, URL lists of very different sizes, their tenant manifest."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from metadata_fn.tenants import parse_tenants
from moto import mock_aws
from PIL import Image

from bgtasks.demo.seed import (
    DEMO_TENANTS,
    demo_image,
    ensure_private_bucket,
    seed_tenant,
    write_manifest,
)


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


def test_demo_images_are_real_pictures_of_several_sizes() -> None:
    sizes = set()
    for number in range(8):
        image = Image.open(io.BytesIO(demo_image("acme", number)))
        image.load()
        assert image.format == "JPEG"
        sizes.add(image.size)
    assert len(sizes) >= 3
    assert Image.open(io.BytesIO(demo_image("acme", 4, "PNG"))).format == "PNG"


def test_demo_images_are_the_same_on_every_run() -> None:
    assert demo_image("globex", 3) == demo_image("globex", 3)
    assert demo_image("globex", 3) != demo_image("globex", 4)


def test_demo_tenants_differ_in_size_by_more_than_an_order_of_magnitude() -> None:
    enabled = [t for t in DEMO_TENANTS if t.enabled]
    assert max(t.images for t in enabled) >= 10 * min(t.images for t in enabled)
    assert max(t.urls for t in enabled) >= 100 * min(t.urls for t in enabled)
    assert any(not t.enabled for t in DEMO_TENANTS)


def test_seeded_tenants_and_manifest_are_what_the_metadata_function_reads(s3: Any) -> None:
    ensure_private_bucket(s3, "tenants")
    ensure_private_bucket(s3, "demo-config")
    seeded = [seed_tenant(s3, t, "tenants", f"{t.tenant_id}/") for t in DEMO_TENANTS[:3]]
    write_manifest(s3, "s3://demo-config/tenants.json", seeded)

    manifest = json.loads(s3.get_object(Bucket="demo-config", Key="tenants.json")["Body"].read())
    tenants = parse_tenants(manifest, "s3://demo-config/tenants.json")  # the Lambda's own parser
    assert [t.tenant_id for t in tenants] == ["acme", "globex", "initech"]
    listed = s3.list_objects_v2(Bucket="tenants", Prefix="acme/images/")["Contents"]
    assert len(listed) == DEMO_TENANTS[0].images
    urls = s3.get_object(Bucket="tenants", Key="acme/urls.txt")["Body"].read().decode()
    assert len(urls.splitlines()) == DEMO_TENANTS[0].urls


def test_created_buckets_are_private_and_encrypted(s3: Any) -> None:
    ensure_private_bucket(s3, "tenant-acme")
    ensure_private_bucket(s3, "tenant-acme")  # idempotent

    block = s3.get_public_access_block(Bucket="tenant-acme")["PublicAccessBlockConfiguration"]
    assert all(block.values())
    rules = s3.get_bucket_encryption(Bucket="tenant-acme")["ServerSideEncryptionConfiguration"]
    assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def test_a_new_edition_is_new_content_for_the_planner() -> None:
    assert demo_image("acme", 1, edition="a") == demo_image("acme", 1, edition="a")
    assert demo_image("acme", 1, edition="a") != demo_image("acme", 1, edition="b")
