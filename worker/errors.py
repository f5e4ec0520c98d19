"""The worker's exit codes and the exceptions that map to them.

The job definition's `retryStrategy.evaluateOnExit` keys on these codes (worker/README.md):
only `EXIT_TRANSIENT` is worth another attempt.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug in the worker: retrying would fail the same way
EXIT_BAD_INPUT = 2  # bad environment, manifest, chunk or parameters: nothing was written
EXIT_TOO_MANY_FAILED = 3  # more than the allowed share of items failed: result says FAILED
EXIT_TRANSIENT = 75  # S3 or network trouble (sysexits EX_TEMPFAIL): retry the child


class WorkerError(Exception):
    """An error that ends the worker with one line on stderr and a known exit code."""

    exit_code = EXIT_INTERNAL


class BadInputError(WorkerError):
    """The input is wrong; another attempt would fail the same way."""

    exit_code = EXIT_BAD_INPUT


class TransientError(WorkerError):
    """Storage or network trouble; another attempt may well succeed."""

    exit_code = EXIT_TRANSIENT


class ItemError(Exception):
    """One item could not be processed (corrupt image, missing object): reported, not fatal."""
