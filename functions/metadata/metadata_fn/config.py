"""The function's settings: its environment (docs/interfaces.md), read once per invocation."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from metadata_fn.errors import ConfigError
from metadata_fn.planning import MAX_CHUNKS


@dataclass(frozen=True)
class Config:
    runs_bucket: str
    tenant_source: str
    task: str
    max_chunks: int
    startup_cost: float
    allowed_buckets: frozenset[str] | None  # None: any bucket named in the tenant source
    workers: int | None  # None: as many workers as chunks


def load_config(environ: Mapping[str, str] = os.environ) -> Config:
    """Config from the environment; `ConfigError` naming the variable on anything wrong."""
    allowed = environ.get("BGTASKS_ALLOWED_BUCKETS", "").strip()
    return Config(
        runs_bucket=_required(environ, "BGTASKS_RUNS_BUCKET"),
        tenant_source=environ.get("BGTASKS_TENANT_SOURCE", "").strip(),
        task=_required(environ, "BGTASKS_TASK"),
        max_chunks=_integer(environ, "BGTASKS_MAX_CHUNKS", MAX_CHUNKS, 1, MAX_CHUNKS),
        startup_cost=_cost(environ, "BGTASKS_STARTUP_COST"),
        allowed_buckets=(
            frozenset(name.strip() for name in allowed.split(",") if name.strip())
            if allowed
            else None
        ),
        workers=(
            _integer(environ, "BGTASKS_WORKERS", 1, 1, 1_000_000)
            if environ.get("BGTASKS_WORKERS", "").strip()
            else None
        ),
    )


def _required(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set")
    return value


def _integer(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {text!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be {low}..{high}, got {value}")
    return value


def _cost(environ: Mapping[str, str], name: str) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return 0.0
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{name} must be a finite number >= 0, got {text!r}")
    return value
