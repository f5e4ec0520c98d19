"""S3 access for the worker: whole-object reads and writes, errors sorted into kinds.

Every write is one PUT of the complete body, so readers never see a half-written object, and
keys never depend on time or attempt, so a retried child overwrites the same objects.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from worker.errors import BadInputError, ItemError, TransientError

# Error codes that no retry will cure: the bucket or key is wrong, or we may not touch it.
_PERMANENT_CODES = frozenset(
    {
        "AccessDenied",
        "AllAccessDisabled",
        "InvalidBucketName",
        "NoSuchBucket",
        "InvalidObjectState",
        "InvalidRequest",
        "KMS.DisabledException",
    }
)
_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
_S3_URI = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<key>.*)$")


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str


@dataclass(frozen=True)
class StoredObject:
    body: bytes
    last_modified: datetime


def parse_s3_uri(uri: str) -> S3Location:
    """Split `s3://bucket/key` into its parts; BadInputError when it is not one."""
    match = _S3_URI.match(uri)
    if match is None:
        raise BadInputError(f"not an s3:// URI: {uri!r}")
    return S3Location(match["bucket"], match["key"])


def s3_client() -> Any:
    """A client with standard resolution (AWS_ENDPOINT_URL included) and adaptive retries.

    BGTASKS_S3_MAX_ATTEMPTS (default 5) bounds botocore's own retries per call; past them an
    error ends the child with the transient exit code and Batch retries the whole child.
    """
    attempts = os.environ.get("BGTASKS_S3_MAX_ATTEMPTS", "")
    max_attempts = int(attempts) if attempts.isdecimal() and int(attempts) > 0 else 5
    # Room for the thumbnails task's fetch-ahead and upload threads (worker/io_pipeline.py).
    config = Config(
        retries={"max_attempts": max_attempts, "mode": "adaptive"}, max_pool_connections=16
    )
    return boto3.client("s3", config=config)


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class ObjectStore:
    """Reads and writes whole objects; sorts S3 errors into missing, permanent and transient."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def get(self, bucket: str, key: str) -> StoredObject:
        """The object's bytes; ItemError when it does not exist."""
        try:
            response = self._client.get_object(Bucket=bucket, Key=key)
            body = response["Body"].read()
        except ClientError as error:
            code = _error_code(error)
            if code in _MISSING_CODES:
                raise ItemError(f"s3://{bucket}/{key} does not exist") from error
            raise _classify(error, f"reading s3://{bucket}/{key}") from error
        except BotoCoreError as error:
            raise TransientError(f"reading s3://{bucket}/{key}: {error}") from error
        return StoredObject(body=body, last_modified=response["LastModified"])

    def last_modified(self, bucket: str, key: str) -> datetime | None:
        """When the object last changed; None when it does not exist."""
        try:
            response = self._client.head_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if _error_code(error) in _MISSING_CODES:
                return None
            raise _classify(error, f"reading s3://{bucket}/{key}") from error
        except BotoCoreError as error:
            raise TransientError(f"reading s3://{bucket}/{key}: {error}") from error
        last_modified: datetime = response["LastModified"]
        return last_modified

    def put(self, bucket: str, key: str, body: bytes, content_type: str, **extra: str) -> None:
        """Write the whole object in one PUT (atomic: old or new body, never a mix)."""
        try:
            self._client.put_object(
                Bucket=bucket, Key=key, Body=body, ContentType=content_type, **extra
            )
        except ClientError as error:
            raise _classify(error, f"writing s3://{bucket}/{key}") from error
        except BotoCoreError as error:
            raise TransientError(f"writing s3://{bucket}/{key}: {error}") from error

    def delete(self, bucket: str, key: str) -> None:
        try:
            self._client.delete_object(Bucket=bucket, Key=key)
        except ClientError as error:
            raise _classify(error, f"deleting s3://{bucket}/{key}") from error
        except BotoCoreError as error:
            raise TransientError(f"deleting s3://{bucket}/{key}: {error}") from error

    def list_keys(self, bucket: str, prefix: str) -> list[str]:
        keys: list[str] = []
        try:
            paginator = self._client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
                keys.extend(entry["Key"] for entry in page.get("Contents", []))
        except ClientError as error:
            raise _classify(error, f"listing s3://{bucket}/{prefix}") from error
        except BotoCoreError as error:
            raise TransientError(f"listing s3://{bucket}/{prefix}: {error}") from error
        return keys


def _classify(error: ClientError, doing: str) -> Exception:
    code = _error_code(error)
    message = f"{doing}: {code or 'error'}: {error.response.get('Error', {}).get('Message', '')}"
    if code in _PERMANENT_CODES:
        return BadInputError(message.rstrip(": "))
    return TransientError(message.rstrip(": "))
