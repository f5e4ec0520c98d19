"""Reading definition text: placeholders, duplicate keys, size and shape."""

from __future__ import annotations

import pytest

from bgtasks.asl import Problem, validate_definition
from bgtasks.asl.loading import (
    MAX_DEFINITION_BYTES,
    DefinitionError,
    load_definition,
    substitute,
)


def test_bare_placeholders_in_value_positions_are_read_as_placeholder_strings() -> None:
    document = load_definition('{"a": ${n}, "b": [${m}, "x ${n} y"], "c": "${n}"}')
    assert document.root == {"a": "${n}", "b": ["${m}", "x ${n} y"], "c": "${n}"}


def test_placeholder_inside_a_string_with_quotes_and_escapes_is_left_alone() -> None:
    document = load_definition('{"a": "say \\"${n}\\" twice", "b": ${n}}')
    assert document.root == {"a": 'say "${n}" twice', "b": "${n}"}


def test_variables_fill_placeholders_before_parsing() -> None:
    assert substitute('{"a": ${n}, "b": "${s}"}', {"n": "5"}) == '{"a": 5, "b": "${s}"}'
    assert load_definition('{"a": ${n}}', {"n": "5"}).root == {"a": 5}


def test_duplicate_keys_are_reported_where_they_are() -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Type": "Succeed"}}}'
    assert validate_definition(text) == [
        Problem("/States/A/Type", "duplicate key 'Type' in one object")
    ]


def test_pointer_tokens_are_escaped() -> None:
    text = '{"StartAt": "a/b~c", "States": {"a/b~c": {"Type": "Pass", "Next": "x"}}}'
    assert Problem(
        "/States/a~1b~0c/Next", "transition to a state that does not exist here: 'x'"
    ) in validate_definition(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not valid JSON"),
        ("{", "not valid JSON"),
        ("null", "top-level value must be an object, not null"),
        ("[]", "top-level value must be an object, not an array"),
        ("3", "top-level value must be an object, not a number"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_unusable_text_is_one_problem_at_the_root(text: str, message: str) -> None:
    found = validate_definition(text)
    assert len(found) == 1
    assert found[0].pointer == ""
    assert message in found[0].message


def test_size_limit_is_one_mebibyte_of_utf8() -> None:
    under = '{"Comment": "' + "é" * ((MAX_DEFINITION_BYTES - 100) // 2) + '"}'
    load_definition(under)
    over = '{"Comment": "' + "é" * (MAX_DEFINITION_BYTES // 2) + '"}'
    with pytest.raises(DefinitionError, match="1 MiB"):
        load_definition(over)


def test_placeholder_quoting_follows_escapes() -> None:
    text = r'{"a": "ends in a backslash \\", "b": ${n}, "c": "quote \" ${kept}", "d": [${m}]}'
    assert load_definition(text).root == {
        "a": "ends in a backslash \\",
        "b": "${n}",
        "c": 'quote " ${kept}',
        "d": ["${m}"],
    }


def test_unterminated_string_with_placeholder_is_not_json() -> None:
    found = validate_definition('{"a": ${n}, "' + '\\"' * 5000)
    assert len(found) == 1 and "not valid JSON" in found[0].message
