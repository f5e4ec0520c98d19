"""The one result type of the validator: a problem found at a node of the definition."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A finding. `pointer` is the RFC 6901 JSON pointer of the offending node ("" = root)."""

    pointer: str
    message: str


def pointer_join(pointer: str, *tokens: str | int) -> str:
    """Extend a JSON pointer with tokens, escaping `~` and `/` as RFC 6901 requires."""
    for token in tokens:
        text = str(token)
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        pointer = f"{pointer}/{text}"
    return pointer
