"""The task table: per task, how to list a tenant's items, whether a tenant may be split across
chunks, and what one item costs (relative units; the per-chunk start-up cost uses the same).

Adding a task: one `TaskSpec` here and one module in `worker/tasks/` with the same name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from metadata_fn.errors import TenantAccessError
from metadata_fn.tenants import Tenant

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif", ".bmp")


@dataclass(frozen=True)
class Listing:
    """A tenant's items (sorted, unique), when its newest input object last changed, and a
    fingerprint of the inputs (same fingerprint: same input objects, same contents)."""

    items: list[str]
    newest: datetime | None
    fingerprint: str = ""


@dataclass(frozen=True)
class TaskSpec:
    name: str
    splittable: bool
    cost_per_item: float
    list_items: Callable[[Any, Tenant], Listing]


def list_images(s3: Any, tenant: Tenant) -> Listing:
    """Image object keys under `<prefix>images/` (S3 lists keys in sorted order)."""
    keys: list[str] = []
    newest: datetime | None = None
    digest = hashlib.sha256()
    paginator = s3.get_paginator("list_objects_v2")
    try:
        for page in paginator.paginate(Bucket=tenant.bucket, Prefix=f"{tenant.prefix}images/"):
            for entry in page.get("Contents", []):
                key = entry["Key"]
                if not key.lower().endswith(IMAGE_SUFFIXES):
                    continue
                keys.append(key)
                modified = entry["LastModified"]
                digest.update(f"{key}\t{entry.get('ETag', '')}\t{entry.get('Size', '')}\n".encode())
                newest = modified if newest is None or modified > newest else newest
    except ClientError as error:
        raise TenantAccessError(_access_message(tenant, error)) from None
    return Listing(keys, newest, digest.hexdigest())


def list_urls(s3: Any, tenant: Tenant) -> Listing:
    """The URLs of `<prefix>urls.txt`, one per line, blanks and repeats dropped, file order."""
    key = f"{tenant.prefix}urls.txt"
    try:
        answer = s3.get_object(Bucket=tenant.bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return Listing([], None)  # no URL list: nothing to do for this tenant
        raise TenantAccessError(_access_message(tenant, error)) from None
    body = answer["Body"].read()
    text = body.decode("utf-8", "replace")
    urls = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    return Listing(urls, answer["LastModified"], hashlib.sha256(body).hexdigest())


def _access_message(tenant: Tenant, error: ClientError) -> str:
    code = error.response.get("Error", {}).get("Code", "")
    return f"tenant {tenant.tenant_id}: cannot list s3://{tenant.bucket}/{tenant.prefix} ({code})"


TASKS: dict[str, TaskSpec] = {
    # One image costs one unit: decode, three resizes, three encodes.
    "thumbnails": TaskSpec(
        "thumbnails", splittable=True, cost_per_item=1.0, list_items=list_images
    ),
    # A tenant's sitemap set and index are written by one child; a URL is cheap to write.
    "sitemap": TaskSpec("sitemap", splittable=False, cost_per_item=0.001, list_items=list_urls),
}
