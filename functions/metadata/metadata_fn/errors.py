"""Errors the handler raises to Step Functions: the class name becomes the state's `Error`."""

from __future__ import annotations


class MetadataError(Exception):
    """Base of every error this function raises on purpose (message: one clear line)."""


class ConfigError(MetadataError):
    """The function's environment is missing or wrong (a deployment bug)."""


class BadEventError(MetadataError):
    """The event from the state machine is malformed."""


class ManifestError(MetadataError):
    """The tenant source (S3 manifest or DynamoDB table) is missing or malformed."""


class RunStateError(MetadataError):
    """The run's own objects (run manifest, chunks) are missing or unreadable."""


class TenantAccessError(MetadataError):
    """One tenant's inputs cannot be listed: that tenant is skipped, the run goes on."""
