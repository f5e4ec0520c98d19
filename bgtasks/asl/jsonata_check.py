"""JSONata expressions (`"{% ... %}"` strings) must parse; jsonata-python is the parser."""

from __future__ import annotations

from functools import lru_cache

from jsonata import Jsonata

OPEN = "{%"
CLOSE = "%}"


def is_expression(value: object) -> bool:
    """True for a string that is a JSONata expression in its `{% %}` surround."""
    return isinstance(value, str) and value.startswith(OPEN) and value.endswith(CLOSE)


@lru_cache(maxsize=4096)
def expression_error(value: str) -> str | None:
    """None if the `{% ... %}` string holds a JSONata expression that parses, else why not."""
    body = value[len(OPEN) : -len(CLOSE)]
    if not body.strip():
        return "empty JSONata expression"
    try:
        Jsonata(body)
    except Exception as error:  # the parser raises JException and, on odd input, others
        return f"JSONata syntax error: {error}"
    return None
