"""Tenant sources: the S3 JSON manifest (default) or a DynamoDB table, read into `Tenant`s.

Both sources hold the same fields (docs/interfaces.md, "Tenant manifest"). Anything malformed
raises `ManifestError` naming the entry and the field, so a run fails loudly, never half-planned.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

from botocore.exceptions import ClientError

from metadata_fn.errors import ConfigError, ManifestError

TENANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
FIELDS = {"tenant_id", "bucket", "enabled", "parameters", "prefix"}


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    bucket: str
    enabled: bool = True
    prefix: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)


def load_tenants(source: str, s3: Any, dynamodb: Any) -> list[Tenant]:
    """Tenants from `s3://bucket/key.json` or `dynamodb://table`, in source order."""
    parsed = urlparse(source)
    if parsed.scheme == "s3" and parsed.netloc and parsed.path.strip("/"):
        return parse_tenants(_read_s3_manifest(s3, parsed.netloc, parsed.path.lstrip("/")), source)
    if parsed.scheme == "dynamodb" and parsed.netloc and not parsed.path.strip("/"):
        return parse_tenants(_scan_table(dynamodb, parsed.netloc), source)
    raise ConfigError(f"tenant source must be s3://bucket/key.json or dynamodb://table: {source!r}")


def parse_tenants(entries: Any, source: str) -> list[Tenant]:
    """Check every entry of a decoded tenant list; raise `ManifestError` on the first bad one."""
    if not isinstance(entries, list):
        raise ManifestError(f"{source}: expected a JSON list of tenants, got {_kind(entries)}")
    tenants: list[Tenant] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        where = f"{source}: tenant #{position}"
        if not isinstance(entry, dict):
            raise ManifestError(f"{where}: expected an object, got {_kind(entry)}")
        unknown = sorted(set(entry) - FIELDS)
        if unknown:
            raise ManifestError(f"{where}: unknown field(s) {', '.join(unknown)}")
        tenant_id = entry.get("tenant_id")
        if not isinstance(tenant_id, str) or not TENANT_ID.match(tenant_id):
            raise ManifestError(f"{where}: tenant_id must match {TENANT_ID.pattern}")
        where = f"{source}: tenant {tenant_id}"
        if tenant_id in seen:
            raise ManifestError(f"{where}: appears twice")
        seen.add(tenant_id)
        bucket = entry.get("bucket")
        if not isinstance(bucket, str) or not BUCKET.match(bucket):
            raise ManifestError(f"{where}: bucket must be an S3 bucket name, got {bucket!r}")
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ManifestError(f"{where}: enabled must be true or false")
        prefix = entry.get("prefix", "")
        if not isinstance(prefix, str) or prefix.startswith("/"):
            raise ManifestError(f"{where}: prefix must be a string not starting with /")
        parameters = entry.get("parameters", {})
        if not isinstance(parameters, dict):
            raise ManifestError(f"{where}: parameters must be an object")
        tenants.append(Tenant(tenant_id, bucket, enabled, prefix, parameters))
    return tenants


def _read_s3_manifest(s3: Any, bucket: str, key: str) -> Any:
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise ManifestError(
            f"s3://{bucket}/{key}: cannot read the tenant manifest ({code})"
        ) from None
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"s3://{bucket}/{key}: not valid JSON ({error})") from None


def _scan_table(dynamodb: Any, table: str) -> list[Any]:
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    entries: list[Any] = []
    try:
        for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
            for item in page.get("Items", []):
                decoded = {name: deserializer.deserialize(value) for name, value in item.items()}
                entries.append(_plain(decoded))
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise ManifestError(f"dynamodb://{table}: cannot scan the tenant table ({code})") from None
    # A scan has no order; tenant order must not depend on the table's partitioning.
    return sorted(entries, key=lambda entry: str(entry.get("tenant_id", "")))


def _plain(value: Any) -> Any:
    """DynamoDB's Decimals and sets as JSON-like Python values."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, (list, set, frozenset)):
        return [_plain(inner) for inner in value]
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return value


def _kind(value: Any) -> str:
    return type(value).__name__ if value is not None else "null"
