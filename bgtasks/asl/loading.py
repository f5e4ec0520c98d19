"""Definition text to a JSON document: size limit, Terraform placeholders, duplicate keys.

A definition file may hold Terraform `templatefile()` placeholders (`${name}`). Inside strings
they stay as they are; in a value position (`"Size": ${max_chunks}`) the file is not JSON until
rendered, so each such bare placeholder is read as the string `"${name}"` and its pointer is
remembered: later checks accept a placeholder wherever a value would be.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bgtasks.asl.problem import Problem, pointer_join

# The AWS limit on a state machine definition (CreateStateMachine `definition`): 1 MiB.
MAX_DEFINITION_BYTES = 1024 * 1024

PLACEHOLDER_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
PLACEHOLDER = re.compile(r"\$\{(" + PLACEHOLDER_NAME + r")\}")
WHOLE_PLACEHOLDER = re.compile(r"\$\{" + PLACEHOLDER_NAME + r"\}")


class DefinitionError(Exception):
    """The text cannot be read as a definition at all (one problem, at the root)."""


@dataclass
class Document:
    """A parsed definition and what the loader learnt while reading it."""

    root: Any
    duplicate_key_problems: list[Problem] = field(default_factory=list)


def is_placeholder(value: object) -> bool:
    """True for a string that is exactly one unfilled `${name}` placeholder."""
    return (
        isinstance(value, str)
        and value.startswith("${")
        and WHOLE_PLACEHOLDER.fullmatch(value) is not None
    )


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """Fill `${name}` placeholders named in `variables`; leave the others as they are."""
    if not variables:
        return text

    def fill(match: re.Match[str]) -> str:
        return variables.get(match.group(1), match.group(0))

    return PLACEHOLDER.sub(fill, text)


_SPECIAL = re.compile(r'["\\$]')


def _quote_bare_placeholders(text: str) -> str:
    """Turn placeholders outside string literals into strings, so the text parses as JSON.

    One left-to-right pass, jumping between quotes, backslashes and dollars (a regex over whole
    string literals would be quadratic on an unterminated string full of escaped quotes, and
    the embedded AWS validates whatever it is sent).
    """
    if "${" not in text:
        return text
    parts: list[str] = []
    copied = 0
    in_string = False
    found = _SPECIAL.search(text)
    while found:
        index = found.start()
        char = text[index]
        next_index = index + 1
        if char == "\\":
            next_index = index + 2 if in_string else index + 1
        elif char == '"':
            in_string = not in_string
        elif not in_string:
            match = WHOLE_PLACEHOLDER.match(text, index)
            if match:
                parts.append(text[copied:index])
                parts.append(f'"{match.group(0)}"')
                copied = next_index = match.end()
        found = _SPECIAL.search(text, next_index)
    parts.append(text[copied:])
    return "".join(parts)


class _DuplicateKeyRecorder:
    """`object_pairs_hook` that builds dicts and remembers which ones had a key twice."""

    def __init__(self) -> None:
        self.duplicates: dict[int, list[str]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            repeated: list[str] = []
            for key, _ in pairs:
                if key in seen and key not in repeated:
                    repeated.append(key)
                seen.add(key)
            self.duplicates[id(result)] = repeated
        return result


def _locate(root: Any, wanted: dict[int, list[str]]) -> list[Problem]:
    """Find the pointers of the objects that had duplicate keys."""
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            for key in wanted.get(id(node), []):
                problems.append(
                    Problem(pointer_join(pointer, key), f"duplicate key {key!r} in one object")
                )
            stack.extend((value, pointer_join(pointer, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, pointer_join(pointer, i)) for i, value in enumerate(node))
    return sorted(problems)


def load_definition(text: str, variables: Mapping[str, str] | None = None) -> Document:
    """Parse definition text; raise DefinitionError when it is not a JSON object within limits."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_DEFINITION_BYTES:
        raise DefinitionError(
            f"definition is {size} bytes, over the 1 MiB ({MAX_DEFINITION_BYTES} bytes) AWS limit"
        )
    text = _quote_bare_placeholders(substitute(text, variables or {}))
    recorder = _DuplicateKeyRecorder()
    try:
        root = json.loads(text, object_pairs_hook=recorder)
    except json.JSONDecodeError as error:
        raise DefinitionError(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise DefinitionError("not valid JSON: nested too deeply") from None
    if not isinstance(root, dict):
        raise DefinitionError(f"top-level value must be an object, not {_json_type(root)}")
    problems = _locate(root, recorder.duplicates) if recorder.duplicates else []
    return Document(root=root, duplicate_key_problems=problems)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
