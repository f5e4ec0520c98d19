"""Validation against the ASL JSON Schema in `statemachines/schema/asl.schema.json`.

The schema (draft 2020-12) is the one description of the definition's shape: which fields each
state type may have, their types and ranges, fields that exclude each other. Generic JSON Schema
libraries take milliseconds per definition in Python; the embedded AWS validates on every
apply, so this module compiles the subset of keywords the schema uses into plain closures
(tens of microseconds). The tests check the schema with `jsonschema` and check that both agree
on the whole corpus. A value that is exactly an unfilled `${name}` placeholder is accepted
wherever a value would be.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from bgtasks.asl.loading import is_placeholder
from bgtasks.asl.problem import Problem, pointer_join

# A symlink to statemachines/schema/asl.schema.json (the one copy in git), so that an installed
# wheel (pre-commit hooks install the package) carries the file itself as package data.
SCHEMA_PATH = Path(__file__).with_name("asl.schema.json")

# A compiled schema node: checks `value` at `pointer`, appending problems to `out`.
Check = Callable[[Any, str, list[Problem]], None]

SUPPORTED_KEYWORDS = frozenset(
    ["$schema", "$id", "$ref", "$defs", "title", "description", "type", "properties",
     "additionalProperties", "required", "enum", "const", "minimum", "maximum", "minLength",
     "maxLength", "pattern", "minItems", "items", "minProperties", "propertyNames", "oneOf",
     "not", "allOf", "if", "then"]
)  # fmt: skip


class SchemaError(Exception):
    """The schema uses a keyword this compiler does not implement."""


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, target: str) -> Check:
        if not target.startswith("#/$defs/"):
            raise SchemaError(f"unsupported $ref {target}")
        name = target.removeprefix("#/$defs/")
        if name not in self.root.get("$defs", {}):
            raise SchemaError(f"unknown $ref {target}")
        if name not in self.refs:
            # Placeholder first: definitions are recursive (states -> branch -> states).
            compiled: list[Check] = []
            self.refs[name] = lambda value, pointer, out: compiled[0](value, pointer, out)
            compiled.append(self.compile(self.root["$defs"][name]))
        return self.refs[name]

    def compile(self, node: Any) -> Check:
        if node is True or node == {}:
            return lambda value, pointer, out: None
        if not isinstance(node, dict):
            raise SchemaError(f"unsupported schema node {node!r}")
        unknown = set(node) - SUPPORTED_KEYWORDS
        if unknown:
            raise SchemaError(f"unsupported keywords {sorted(unknown)}")
        checks: list[Check] = []
        if "$ref" in node:
            checks.append(self.ref(node["$ref"]))
        if "type" in node:
            checks.append(_type_check(node["type"]))
        if "enum" in node:
            options = node["enum"]

            def enum(value: Any, pointer: str, out: list[Problem]) -> None:
                if value not in options or isinstance(value, bool):
                    out.append(Problem(pointer, f"{_short(value)} is not one of {options}"))

            checks.append(enum)
        if "const" in node:
            expected = node["const"]

            def const(value: Any, pointer: str, out: list[Problem]) -> None:
                if value != expected or type(value) is not type(expected):
                    out.append(Problem(pointer, f"must be {_short(expected)}"))

            checks.append(const)
        checks.extend(_range_checks(node))
        if "required" in node:
            checks.append(_required_check(node["required"]))
        if "properties" in node or "additionalProperties" in node:
            checks.append(self._properties(node))
        if "propertyNames" in node:
            names = self.compile(node["propertyNames"])

            def property_names(value: Any, pointer: str, out: list[Problem]) -> None:
                if isinstance(value, dict):
                    for key in value:
                        names(key, pointer_join(pointer, key), out)

            checks.append(property_names)
        if "items" in node:
            item = self.compile(node["items"])

            def items(value: Any, pointer: str, out: list[Problem]) -> None:
                if isinstance(value, list):
                    for index, element in enumerate(value):
                        item(element, pointer_join(pointer, index), out)

            checks.append(items)
        if "allOf" in node:
            checks.extend(self._all_of(node["allOf"]))
        if "oneOf" in node:
            checks.append(self._one_of(node["oneOf"]))
        if "not" in node:
            checks.append(self._not(node["not"]))
        if "if" in node:
            condition = self.compile(node["if"])
            then = self.compile(node.get("then", True))

            def if_then(value: Any, pointer: str, out: list[Problem]) -> None:
                trial: list[Problem] = []
                condition(value, pointer, trial)
                if not trial:
                    then(value, pointer, out)

            checks.append(if_then)

        def run(value: Any, pointer: str, out: list[Problem]) -> None:
            if type(value) is str and value.startswith("${") and is_placeholder(value):
                return
            for check in checks:
                check(value, pointer, out)

        return run

    def _properties(self, node: dict[str, Any]) -> Check:
        properties = {name: self.compile(sub) for name, sub in node.get("properties", {}).items()}
        additional = node.get("additionalProperties", True)
        rest = None if additional is False else self.compile(additional)

        def check(value: Any, pointer: str, out: list[Problem]) -> None:
            if not isinstance(value, dict):
                return
            for key, element in value.items():
                sub = properties.get(key)
                if sub is not None:
                    sub(element, pointer_join(pointer, key), out)
                elif rest is None:
                    out.append(Problem(pointer_join(pointer, key), "field not allowed here"))
                else:
                    rest(element, pointer_join(pointer, key), out)

        return check

    def _all_of(self, parts: list[Any]) -> list[Check]:
        """Compile allOf; a run of `if {K: const V} then S` parts becomes one lookup on K.

        That is how the schema picks a state's rules by its Type: one dict lookup instead of
        trying every `if` in turn (the result is the same).
        """
        checks: list[Check] = []
        dispatch: dict[str, dict[Any, Check]] = {}
        for part in parts:
            key_value = _discriminator(part)
            if key_value is None:
                checks.append(self.compile(part))
                continue
            key, constant = key_value
            dispatch.setdefault(key, {})[constant] = self.compile(part["then"])
        for key, table in dispatch.items():
            checks.append(_dispatch_check(key, table))
        return checks

    def _one_of(self, options: list[Any]) -> Check:
        compiled = [self.compile(option) for option in options]
        exclusive_fields = [
            option["required"][0]
            for option in options
            if isinstance(option, dict) and list(option) == ["required"]
        ]

        def check(value: Any, pointer: str, out: list[Problem]) -> None:
            results: list[list[Problem]] = []
            for option in compiled:
                trial: list[Problem] = []
                option(value, pointer, trial)
                results.append(trial)
            passed = sum(1 for trial in results if not trial)
            if passed == 1:
                return
            if len(exclusive_fields) == len(options):
                out.append(
                    Problem(pointer, f"exactly one of {', '.join(exclusive_fields)} is required")
                )
                return
            if passed > 1:
                out.append(Problem(pointer, "matches more than one of the allowed forms"))
                return
            # Report the option the value came closest to: one it has the right type for.
            for trial in results:
                if not any(
                    p.pointer == pointer and p.message.startswith("expected ") for p in trial
                ):
                    out.extend(trial)
                    return
            out.extend(results[0])

        return check

    def _not(self, negated: Any) -> Check:
        compiled = self.compile(negated)
        fields = negated.get("required") if isinstance(negated, dict) else None

        def check(value: Any, pointer: str, out: list[Problem]) -> None:
            trial: list[Problem] = []
            compiled(value, pointer, trial)
            if not trial:
                if fields:
                    out.append(Problem(pointer, f"only one of {' and '.join(fields)} may be given"))
                else:
                    out.append(Problem(pointer, "matches a form that is not allowed"))

        return check


def _discriminator(part: Any) -> tuple[str, Any] | None:
    """(K, V) for `{"if": {"properties": {K: {"const": V}}, "required": [K]}, "then": ...}`."""
    if not isinstance(part, dict) or set(part) != {"if", "then"}:
        return None
    condition = part["if"]
    if not isinstance(condition, dict) or set(condition) != {"properties", "required"}:
        return None
    properties = condition["properties"]
    if len(properties) != 1 or condition["required"] != list(properties):
        return None
    key, rule = next(iter(properties.items()))
    if not isinstance(rule, dict) or list(rule) != ["const"] or not isinstance(rule["const"], str):
        return None
    return key, rule["const"]


def _dispatch_check(key: str, table: dict[Any, Check]) -> Check:
    def check(value: Any, pointer: str, out: list[Problem]) -> None:
        if isinstance(value, dict):
            chosen = value.get(key)
            if isinstance(chosen, str):
                rule = table.get(chosen)
                if rule is not None:
                    rule(value, pointer, out)

    return check


# Python types of the values json.loads makes, per JSON Schema type (bool is not an int here:
# `type(True) is bool`).
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "null": (type(None),),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "array": (list,),
    "object": (dict,),
}


def _type_check(wanted: str | list[str]) -> Check:
    types = [wanted] if isinstance(wanted, str) else list(wanted)
    label = " or ".join(types)
    exact = frozenset(python for kind in types for python in _PYTHON_TYPES[kind])
    whole_floats = "integer" in types  # 5.0 is an integer to JSON Schema

    def check(value: Any, pointer: str, out: list[Problem]) -> None:
        kind = type(value)
        if kind in exact or (whole_floats and kind is float and value.is_integer()):
            return
        out.append(Problem(pointer, f"expected {label}, got {_json_type(value)}"))

    return check


def _required_check(names: list[str]) -> Check:
    def check(value: Any, pointer: str, out: list[Problem]) -> None:
        if isinstance(value, dict):
            for name in names:
                if name not in value:
                    out.append(Problem(pointer, f"{name} is required"))

    return check


def _range_checks(node: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    number = lambda v: isinstance(v, int | float) and not isinstance(v, bool)  # noqa: E731
    if "minimum" in node:
        low = node["minimum"]
        checks.append(_predicate(lambda v: not number(v) or v >= low, f"must be at least {low}"))
    if "maximum" in node:
        high = node["maximum"]
        checks.append(_predicate(lambda v: not number(v) or v <= high, f"must be at most {high}"))
    if "minLength" in node:
        shortest = node["minLength"]
        checks.append(
            _predicate(
                lambda v: not isinstance(v, str) or len(v) >= shortest,
                "must not be empty" if shortest == 1 else f"must be {shortest}+ characters",
            )
        )
    if "maxLength" in node:
        longest = node["maxLength"]
        checks.append(
            _predicate(
                lambda v: not isinstance(v, str) or len(v) <= longest,
                f"is longer than {longest} characters",
            )
        )
    if "pattern" in node:
        pattern = re.compile(node["pattern"])
        checks.append(
            _predicate(
                lambda v: not isinstance(v, str) or pattern.search(v) is not None,
                f"does not match the pattern {node['pattern']}",
            )
        )
    if "minItems" in node:
        fewest = node["minItems"]
        checks.append(
            _predicate(
                lambda v: not isinstance(v, list) or len(v) >= fewest,
                "must not be empty" if fewest == 1 else f"needs at least {fewest} items",
            )
        )
    if "minProperties" in node:
        fewest_keys = node["minProperties"]
        checks.append(
            _predicate(
                lambda v: not isinstance(v, dict) or len(v) >= fewest_keys,
                "must not be empty" if fewest_keys == 1 else f"needs {fewest_keys}+ fields",
            )
        )
    return checks


def _predicate(ok: Callable[[Any], bool], message: str) -> Check:
    def check(value: Any, pointer: str, out: list[Problem]) -> None:
        if not ok(value):
            out.append(Problem(pointer, message))

    return check


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def compiled_schema() -> Check:
    """The schema compiled once per process (it does not change while we run)."""
    schema = load_schema()
    return _Compiler(schema).compile(schema)


def check(root: dict[str, Any]) -> list[Problem]:
    """Schema problems of a definition."""
    problems: list[Problem] = []
    compiled_schema()(root, "", problems)
    return problems
