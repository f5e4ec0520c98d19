"""What a task reports for one unit (one tenant's share of the chunk)."""

from __future__ import annotations

from dataclasses import dataclass, field

# The result object must stay small: list this many failures per tenant, count the rest, and
# keep each listed error to one short line.
MAX_LISTED_FAILURES = 100
MAX_ERROR_LENGTH = 300


@dataclass
class UnitOutcome:
    items_ok: int = 0
    items_failed: int = 0
    outputs: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def ok(self, outputs: int = 0) -> None:
        self.items_ok += 1
        self.outputs += outputs

    def failed(self, item: str, error: str) -> None:
        self.items_failed += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append((item, one_line(error, MAX_ERROR_LENGTH)))


def one_line(text: str, limit: int) -> str:
    """Whitespace runs (newlines included) collapsed to one space, cut to `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
