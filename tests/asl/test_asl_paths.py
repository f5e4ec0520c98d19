"""The path and intrinsic-function parsers, on the forms AWS accepts and rejects."""

from __future__ import annotations

import pytest

from bgtasks.asl.paths import (
    PATH,
    REFERENCE_PATH,
    RESULT_PATH,
    intrinsic_error,
    path_error,
)


@pytest.mark.parametrize(
    "path",
    ["$", "$$", "$.a", "$$.Execution.Id", "$.a[0].b", "$['a b']", "$.a..b", "$.a[*]", "$.a[1:3]",
     "$.a[?(@.price < 10)]", "$.path-with-hypen", "$var.x", "$.[0].body", "$[(@.length-1)].x",
     "$.a.length()", "$.a[0,1]", "$.a['x','y']"],
)  # fmt: skip
def test_valid_paths(path: str) -> None:
    assert path_error(path, PATH) is None


@pytest.mark.parametrize(
    "path", ["", "a", "bug$.x", "$...", "$$23", "$.a[", "$.a[]", "$.a b", "$.a[?()]"]
)
def test_invalid_paths(path: str) -> None:
    assert path_error(path, PATH) is not None


@pytest.mark.parametrize("path", ["$.a[*]", "$.a..b", "$.a[1:2]", "$.a[?(@.x)]", "$.a.*"])
def test_reference_paths_name_one_node(path: str) -> None:
    assert path_error(path, PATH) is None
    assert path_error(path, REFERENCE_PATH) is not None


def test_result_path_has_no_context_or_variable() -> None:
    assert path_error("$.result", RESULT_PATH) is None
    assert path_error("$$.Execution", RESULT_PATH) is not None
    assert path_error("$result", RESULT_PATH) is not None


@pytest.mark.parametrize(
    "call",
    [
        "States.UUID()",
        "States.Format('{} and \\'{}\\'', $.a, 'b')",
        "States.Array(1, 2.5, -3, true, null, 'x', $.y, States.UUID())",
        "States.MathRandom($.lo, 100)",
        "States.MathRandom(1, 100, 7)",
        "States.Hash($.data, 'SHA-256')",
        "States.JsonMerge($.a, $.b, false)",
        "States.ArrayGetItem($.a[0], $.i)",
        "States.StringSplit($.csv, ',')",
    ],
)
def test_valid_intrinsic_calls(call: str) -> None:
    assert intrinsic_error(call) is None


@pytest.mark.parametrize(
    ("call", "why"),
    [
        ("States.UUID(1)", "takes 0"),
        ("States.ArrayRange(1, 2)", "takes 3"),
        ("States.Xyz($.a)", "unknown intrinsic"),
        (" States.UUID()", "expected an intrinsic"),
        ("States.MathAdd(1, '-1')", "numbers or paths"),
        ("States.Hash($.a, 'SHA-3')", "algorithm"),
        ("States.JsonMerge($.a, $.b, true)", "shallow"),
        ("States.Format('x'", "expected , or )"),
        ("States.Format('x') extra", "unexpected text"),
        ("States.Format($.a[)", "bad path"),
    ],
)
def test_invalid_intrinsic_calls(call: str, why: str) -> None:
    error = intrinsic_error(call)
    assert error is not None and why in error
