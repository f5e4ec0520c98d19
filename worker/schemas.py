"""The shared JSON Schemas (`schemas/` at the repository root, copied into the image)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

# In the repository the schemas sit beside the package; the Dockerfile copies them the same way.
SCHEMAS_DIR = Path(os.environ.get("BGTASKS_SCHEMAS_DIR", Path(__file__).parent.parent / "schemas"))


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator for `schemas/<name>.schema.json`, with date-time formats checked."""
    schema = json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def first_problem(name: str, document: Any) -> str | None:
    """A one-line description of the first schema violation, or None when valid."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    error = errors[0]
    pointer = "/" + "/".join(str(part) for part in error.absolute_path)
    return f"{pointer}: {error.message}"
