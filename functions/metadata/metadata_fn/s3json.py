"""Small JSON objects in S3: read (None when absent) and write whole."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


def get_json(s3: Any, bucket: str, key: str) -> Any | None:
    """The decoded object, or None when it does not exist. ValueError when it is not JSON."""
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"s3://{bucket}/{key} is not valid JSON ({error})") from None


def put_json(s3: Any, bucket: str, key: str, document: Any) -> None:
    """One PUT: S3 makes the object visible whole or not at all."""
    body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")


def s3_uri(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{key}"
