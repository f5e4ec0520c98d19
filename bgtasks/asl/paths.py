"""Parsers for the ASL's small languages: Paths, Reference Paths and intrinsic functions.

Each parser returns None when the text parses, or a message saying what is wrong. They follow
the ASL specification (states-language.net) and the Step Functions documentation:
- a Path starts with `$` (the input), `$$` (the context object) or `$name` (a variable), then
  JSONPath steps: `.name`, `..name`, `.*`, `[n]`, `['name']`, `[*]`, `[a:b]`, `[a,b]`, `[?(...)]`;
- a Reference Path names one node: only `.name`, `['name']` and `[n]` steps;
- an intrinsic function is `States.Name(arg, ...)` with literal, path or nested-call arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_NAME = re.compile(r"[^.\[\]()\s'\"=<>!,*@?&|]+")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INT = re.compile(r"-?\d+")
_SLICE = re.compile(r"(-?\d+)?:(-?\d+)?(:(-?\d+)?)?")
_INT_LIST = re.compile(r"-?\d+(\s*,\s*-?\d+)+")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_QUOTED_LIST = re.compile(
    r"(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")(\s*,\s*(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"))*"
)


@dataclass(frozen=True)
class PathRules:
    """What a field's path may contain."""

    reference: bool = False  # Reference Path: one node only
    context: bool = True  # may start with `$$`
    variables: bool = True  # may start with `$name`


PATH = PathRules()
REFERENCE_PATH = PathRules(reference=True)
RESULT_PATH = PathRules(reference=True, context=False, variables=False)


def _root_length(text: str, rules: PathRules) -> tuple[int, str | None]:
    """Length of the path's root (`$`, `$$` or `$name`), or an error."""
    if not text.startswith("$"):
        return 0, "must start with $"
    if text.startswith("$$"):
        if not rules.context:
            return 0, "may not refer to the context object ($$)"
        return 2, None
    match = _VARIABLE.match(text, 1)
    if match:
        if not rules.variables:
            return 0, "may not refer to a variable"
        return match.end(), None
    return 1, None


def _bracket_end(text: str, start: int) -> int:
    """Index just past the `]` closing the bracket at `start`, honouring quotes and parens."""
    depth = 0
    index = start
    quote = ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth == 0:
                return index + 1 if char == "]" else -1
        index += 1
    return -1


def _bracket_step(inner: str, rules: PathRules) -> str | None:
    """Check what is inside one `[...]` step."""
    inner = inner.strip()
    if not inner:
        return "empty []"
    if _INT.fullmatch(inner) or _QUOTED.fullmatch(inner):
        return None
    if rules.reference:
        return f"[{inner}] is not allowed in a reference path (it may select many nodes)"
    if inner == "*" or _SLICE.fullmatch(inner) or _INT_LIST.fullmatch(inner):
        return None
    if _QUOTED_LIST.fullmatch(inner):
        return None
    if inner.startswith("?(") and inner.endswith(")"):
        return None if inner[2:-1].strip() else "empty filter expression"
    if inner.startswith("(") and inner.endswith(")"):
        # A script expression such as `[(@.length-1)]` (Jayway).
        return None if inner[1:-1].strip() else "empty script expression"
    return f"invalid step [{inner}]"


@lru_cache(maxsize=4096)
def path_error(text: str, rules: PathRules = PATH) -> str | None:
    """None if `text` is a valid Path under `rules`, else the reason."""
    length, error = _root_length(text, rules)
    if error:
        return f"{text!r} {error}"
    index = length
    while index < len(text):
        char = text[index]
        if char == ".":
            if text.startswith("..", index):
                if rules.reference:
                    return f"{text!r}: '..' is not allowed in a reference path"
                index += 2
                if text.startswith("[", index):
                    continue
            else:
                index += 1
                if text.startswith("[", index):
                    # `$.[0]`: Jayway (the JSONPath library behind Step Functions) reads a
                    # dot before a bracket as the bracket alone.
                    continue
            if text.startswith("*", index):
                if rules.reference:
                    return f"{text!r}: '*' is not allowed in a reference path"
                index += 1
                continue
            match = _NAME.match(text, index)
            if not match:
                return f"{text!r}: expected a field name at position {index}"
            index = match.end()
            # A function call step such as `.length()` (JSONPath functions, end of path only).
            if text.startswith("()", index) and not rules.reference:
                index += 2
                if index != len(text):
                    return f"{text!r}: a function call must end the path"
        elif char == "[":
            end = _bracket_end(text, index)
            if end < 0:
                return f"{text!r}: unclosed [ at position {index}"
            step_error = _bracket_step(text[index + 1 : end - 1], rules)
            if step_error:
                return f"{text!r}: {step_error}"
            index = end
        else:
            return f"{text!r}: unexpected {char!r} at position {index}"
    return None


# name -> (minimum arguments, maximum arguments or None for any)
INTRINSIC_ARITY: dict[str, tuple[int, int | None]] = {
    "States.Format": (1, None),
    "States.StringToJson": (1, 1),
    "States.JsonToString": (1, 1),
    "States.Array": (0, None),
    "States.ArrayPartition": (2, 2),
    "States.ArrayContains": (2, 2),
    "States.ArrayRange": (3, 3),
    "States.ArrayGetItem": (2, 2),
    "States.ArrayLength": (1, 1),
    "States.ArrayUnique": (1, 1),
    "States.Base64Encode": (1, 1),
    "States.Base64Decode": (1, 1),
    "States.Hash": (2, 2),
    "States.JsonMerge": (3, 3),
    "States.MathRandom": (2, 3),
    "States.MathAdd": (2, 2),
    "States.StringSplit": (2, 2),
    "States.UUID": (0, 0),
}
# Literal argument kinds a function rejects (AWS checks these when the definition is created).
_NUMERIC_ONLY = {"States.MathAdd", "States.MathRandom", "States.ArrayRange"}
_STRING_FIRST = {"States.Format", "States.StringToJson", "States.Base64Encode",
                 "States.Base64Decode", "States.StringSplit"}  # fmt: skip
_HASH_ALGORITHMS = {"MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"}

_FUNCTION_NAME = re.compile(r"States\.[A-Za-z0-9]+")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'")


@dataclass(frozen=True)
class _Arg:
    kind: str  # "string", "number", "boolean", "null", "path", "call"
    text: str


class _IntrinsicError(Exception):
    pass


class _IntrinsicParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.index = 0

    def skip_space(self) -> None:
        while self.index < len(self.text) and self.text[self.index] in " \t\n\r":
            self.index += 1

    def call(self) -> _Arg:
        match = _FUNCTION_NAME.match(self.text, self.index)
        if not match:
            raise _IntrinsicError(f"expected an intrinsic function at position {self.index}")
        name = match.group(0)
        if name not in INTRINSIC_ARITY:
            raise _IntrinsicError(f"unknown intrinsic function {name}")
        self.index = match.end()
        if not self.text.startswith("(", self.index):
            raise _IntrinsicError(f"expected ( after {name}")
        self.index += 1
        args: list[_Arg] = []
        self.skip_space()
        if self.text.startswith(")", self.index):
            self.index += 1
        else:
            while True:
                self.skip_space()
                args.append(self.argument())
                self.skip_space()
                if self.text.startswith(",", self.index):
                    self.index += 1
                    continue
                if self.text.startswith(")", self.index):
                    self.index += 1
                    break
                raise _IntrinsicError(f"expected , or ) at position {self.index} in {name}")
        _check_arguments(name, args)
        return _Arg("call", name)

    def argument(self) -> _Arg:
        text, start = self.text, self.index
        if text.startswith("'", start):
            match = _STRING_LITERAL.match(text, start)
            if not match:
                raise _IntrinsicError(f"unterminated string at position {start}")
            self.index = match.end()
            return _Arg("string", match.group(0)[1:-1])
        if text.startswith("States.", start):
            return self.call()
        if text.startswith("$", start):
            end = self._path_end(start)
            path = text[start:end].rstrip()
            error = path_error(path)
            if error:
                raise _IntrinsicError(f"bad path argument: {error}")
            self.index = end
            return _Arg("path", path)
        for word in ("true", "false", "null"):
            if text.startswith(word, start):
                self.index = start + len(word)
                return _Arg("null" if word == "null" else "boolean", word)
        match = _NUMBER.match(text, start)
        if match:
            self.index = match.end()
            return _Arg("number", match.group(0))
        raise _IntrinsicError(f"unexpected {text[start : start + 10]!r} at position {start}")

    def _path_end(self, start: int) -> int:
        """End of a path argument: the first `,` or `)` outside brackets and quotes."""
        depth = 0
        quote = ""
        index = start
        while index < len(self.text):
            char = self.text[index]
            if quote:
                if char == "\\":
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if depth == 0:
                    return index
                depth -= 1
            elif char == "," and depth == 0:
                return index
            index += 1
        return index


def _check_arguments(name: str, args: list[_Arg]) -> None:
    low, high = INTRINSIC_ARITY[name]
    count = len(args)
    if count < low or (high is not None and count > high):
        expected = (
            f"{low}" if low == high else f"{low} or more" if high is None else f"{low}-{high}"
        )
        raise _IntrinsicError(f"{name} takes {expected} argument(s), got {count}")
    if name in _NUMERIC_ONLY:
        for arg in args:
            if arg.kind in ("string", "boolean", "null"):
                raise _IntrinsicError(f"{name} arguments must be numbers or paths, not {arg.kind}s")
    if name in _STRING_FIRST and args and args[0].kind in ("number", "boolean", "null"):
        raise _IntrinsicError(f"{name}'s first argument must be a string or a path")
    if name == "States.Hash" and args[1].kind == "string" and args[1].text not in _HASH_ALGORITHMS:
        raise _IntrinsicError(f"States.Hash algorithm must be one of {sorted(_HASH_ALGORITHMS)}")
    if name == "States.JsonMerge" and args[2].kind == "boolean" and args[2].text != "false":
        raise _IntrinsicError("States.JsonMerge supports only a shallow merge (false)")


@lru_cache(maxsize=4096)
def intrinsic_error(text: str) -> str | None:
    """None if `text` is one well-formed intrinsic function call, else the reason."""
    parser = _IntrinsicParser(text)
    try:
        parser.call()
    except _IntrinsicError as error:
        return f"{text!r}: {error}"
    if parser.index != len(text):
        return f"{text!r}: unexpected text after the function call at position {parser.index}"
    return None


def is_intrinsic(text: str) -> bool:
    return text.startswith("States.")


def path_or_intrinsic_error(text: str) -> str | None:
    """For fields that take a path or an intrinsic function (`.$` keys, ErrorPath, ...)."""
    if is_intrinsic(text):
        return intrinsic_error(text)
    if text.startswith("$"):
        return path_error(text)
    return f"{text!r} is neither a path (starting with $) nor an intrinsic function (States.*)"
