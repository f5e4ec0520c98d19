"""Reading this child's work: the run manifest and its own chunk, validated before any work.

A child reads exactly two objects of the run: `manifest.json` and `<index>.json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from worker.errors import BadInputError, ItemError
from worker.s3store import ObjectStore, parse_s3_uri
from worker.schemas import first_problem

_CHUNKS_KEY = re.compile(r"^runs/(?P<run_id>[A-Za-z0-9_-]{1,80})/chunks/$")
# A whole sitemap tenant of ~2M URLs fits; beyond this the object is refused, not parsed.
_MAX_CHUNK_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Unit:
    """One tenant's share of the chunk."""

    tenant_id: str
    bucket: str
    prefix: str
    items: tuple[str, ...]
    part: int
    parts: int
    parameters: Mapping[str, Any]


@dataclass(frozen=True)
class Manifest:
    run_id: str
    task: str
    size: int
    runs_bucket: str
    allowed_buckets: frozenset[str]
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Work:
    """Everything a child needs, all checked: where the run lives, which chunk, its units."""

    runs_bucket: str
    manifest: Manifest
    index: int
    units: tuple[Unit, ...]

    @property
    def result_key(self) -> str:
        return f"runs/{self.manifest.run_id}/results/{self.index}.json"


def parse_index(raw: str | None) -> int:
    """AWS_BATCH_JOB_ARRAY_INDEX: absent means a plain job, index 0."""
    if raw is None:
        return 0
    text = raw.strip()
    if not text.isdecimal() or not text.isascii():
        raise BadInputError(f"AWS_BATCH_JOB_ARRAY_INDEX is not a non-negative integer: {raw!r}")
    return int(text)


def load_work(store: ObjectStore, chunks_uri: str | None, index: int) -> Work:
    """Read and check the manifest and this child's chunk; BadInputError on any problem."""
    if not chunks_uri:
        raise BadInputError("BGTASKS_CHUNKS_URI is not set")
    location = parse_s3_uri(chunks_uri)
    key_prefix = location.key if location.key.endswith("/") else location.key + "/"
    match = _CHUNKS_KEY.match(key_prefix)
    if match is None:
        raise BadInputError(
            f"BGTASKS_CHUNKS_URI must look like s3://<bucket>/runs/<run_id>/chunks/: {chunks_uri!r}"
        )
    manifest_uri = f"s3://{location.bucket}/{key_prefix}manifest.json"
    raw_manifest = _read_json(store, location.bucket, f"{key_prefix}manifest.json", "manifest")
    problem = first_problem("chunk-manifest", raw_manifest)
    if problem is not None:
        raise BadInputError(f"malformed manifest {manifest_uri}: {problem}")
    manifest = Manifest(
        run_id=raw_manifest["run_id"],
        task=raw_manifest["task"],
        size=raw_manifest["size"],
        runs_bucket=raw_manifest["runs_bucket"],
        allowed_buckets=frozenset(raw_manifest["allowed_buckets"]),
        parameters=raw_manifest.get("parameters", {}),
    )
    if manifest.run_id != match["run_id"]:
        raise BadInputError(
            f"manifest {manifest_uri} is for run {manifest.run_id!r}, not {match['run_id']!r}"
        )
    if manifest.runs_bucket != location.bucket:
        raise BadInputError(
            f"manifest {manifest_uri} names runs bucket {manifest.runs_bucket!r}, "
            f"not {location.bucket!r}"
        )
    if index >= manifest.size:
        raise BadInputError(
            f"AWS_BATCH_JOB_ARRAY_INDEX {index} is beyond the run's {manifest.size} chunk(s)"
        )

    chunk_uri = f"s3://{location.bucket}/{key_prefix}{index}.json"
    raw_chunk = _read_json(store, location.bucket, f"{key_prefix}{index}.json", "chunk")
    problem = first_problem("chunk", raw_chunk)
    if problem is not None:
        raise BadInputError(f"malformed chunk {chunk_uri}: {problem}")
    for name, expected in (("run_id", manifest.run_id), ("task", manifest.task), ("index", index)):
        if raw_chunk[name] != expected:
            raise BadInputError(
                f"chunk {chunk_uri} has {name} {raw_chunk[name]!r}, expected {expected!r}"
            )
    units = tuple(_unit(raw) for raw in raw_chunk["units"])
    for unit in units:
        if unit.bucket not in manifest.allowed_buckets:
            raise BadInputError(
                f"chunk {chunk_uri}: tenant {unit.tenant_id!r} names bucket {unit.bucket!r}, "
                "which the run's manifest does not allow"
            )
    return Work(runs_bucket=location.bucket, manifest=manifest, index=index, units=units)


def _unit(raw: Mapping[str, Any]) -> Unit:
    return Unit(
        tenant_id=raw["tenant_id"],
        bucket=raw["bucket"],
        prefix=raw.get("prefix", ""),
        items=tuple(raw["items"]),
        part=raw.get("part", 0),
        parts=raw.get("parts", 1),
        parameters=raw.get("parameters", {}),
    )


def _read_json(store: ObjectStore, bucket: str, key: str, what: str) -> Any:
    uri = f"s3://{bucket}/{key}"
    try:
        body = store.get(bucket, key).body
    except ItemError as error:
        raise BadInputError(f"missing {what}: {uri} does not exist") from error
    if len(body) > _MAX_CHUNK_BYTES:
        raise BadInputError(f"{what} {uri} is larger than {_MAX_CHUNK_BYTES} bytes")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadInputError(f"malformed {what} {uri}: not JSON ({error})") from error
