"""Each semantic rule of the validator, pinned on a small definition (valid, then broken)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bgtasks.asl import Problem, validate_definition


def machine(states: dict[str, Any], start: str = "A", **top: Any) -> str:
    return json.dumps({"StartAt": start, "States": states, **top})


def task(**fields: Any) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "End": True,
        **fields,
    }


def problems(text: str) -> list[Problem]:
    return validate_definition(text)


def pointers(text: str) -> set[str]:
    return {problem.pointer for problem in problems(text)}


def test_minimal_definition_is_valid() -> None:
    assert problems(machine({"A": {"Type": "Succeed"}})) == []


def test_start_at_must_name_a_state() -> None:
    assert "/StartAt" in pointers(machine({"A": {"Type": "Succeed"}}, start="B"))


def test_transitions_must_name_a_state_in_scope() -> None:
    text = machine(
        {
            "A": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "B"}}}],
                "Next": "B",
            },
            "B": {"Type": "Succeed"},
        }
    )
    found = problems(text)
    assert (
        Problem(
            "/States/A/Branches/0/States/In/Next",
            "transition to a state that does not exist here: 'B'",
        )
        in found
    )


def test_unreachable_state_is_reported() -> None:
    text = machine({"A": {"Type": "Succeed"}, "Orphan": {"Type": "Succeed"}})
    assert pointers(text) == {"/States/Orphan"}


def test_a_loop_with_no_way_out_is_reported() -> None:
    text = machine(
        {
            "A": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Loop"}],
                "Default": "Done",
            },
            "Loop": {"Type": "Pass", "Next": "Loop"},
            "Done": {"Type": "Succeed"},
        }
    )
    assert Problem("/States/Loop", "no terminal state is reachable from here") in problems(text)


def test_state_names_unique_across_nested_machines() -> None:
    text = machine(
        {
            "A": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}},
                "Next": "B",
            },
            "B": {"Type": "Succeed"},
        }
    )
    assert any("used twice" in p.message for p in problems(text))


def test_state_name_over_80_characters() -> None:
    name = "N" * 81
    assert any(
        p.pointer == f"/States/{name}"
        for p in problems(machine({name: {"Type": "Succeed"}}, start=name))
    )


def test_choice_may_not_end() -> None:
    text = machine(
        {
            "A": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsNull": True, "Next": "B"}],
                "End": True,
            },
            "B": {"Type": "Succeed"},
        }
    )
    assert "/States/A/End" in pointers(text)


@pytest.mark.parametrize(
    ("rules", "pointer"),
    [
        ([{"ErrorEquals": ["States.ALL", "States.Timeout"]}], "/States/A/Retry/0/ErrorEquals"),
        (
            [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}],
            "/States/A/Retry/0/ErrorEquals",
        ),
    ],
)
def test_states_all_alone_and_last(rules: list[dict[str, Any]], pointer: str) -> None:
    assert pointer in pointers(machine({"A": task(Retry=rules)}))


@pytest.mark.parametrize(
    ("fields", "pointer"),
    [
        ({"Retry": [{"ErrorEquals": ["X"], "BackoffRate": 0.5}]}, "/States/A/Retry/0/BackoffRate"),
        (
            {"Retry": [{"ErrorEquals": ["X"], "IntervalSeconds": 0}]},
            "/States/A/Retry/0/IntervalSeconds",
        ),
        ({"Retry": [{"ErrorEquals": ["X"], "MaxAttempts": -1}]}, "/States/A/Retry/0/MaxAttempts"),
        ({"TimeoutSeconds": 10, "HeartbeatSeconds": 10}, "/States/A/HeartbeatSeconds"),
        ({"TimeoutSeconds": 0}, "/States/A/TimeoutSeconds"),
        ({"TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t"}, "/States/A"),
    ],
)
def test_ranges_and_exclusive_fields(fields: dict[str, Any], pointer: str) -> None:
    assert pointer in pointers(machine({"A": task(**fields)}))


def test_backoff_rate_of_one_and_heartbeat_below_timeout_are_fine() -> None:
    text = machine(
        {
            "A": task(
                Retry=[{"ErrorEquals": ["X"], "BackoffRate": 1}],
                TimeoutSeconds=10,
                HeartbeatSeconds=9,
            )
        }
    )
    assert problems(text) == []


@pytest.mark.parametrize(
    ("parameters", "pointer"),
    [
        ({"a.$": "not a path"}, "/States/A/Parameters/a.$"),
        ({"a.$": 3}, "/States/A/Parameters/a.$"),
        ({"a": 1, "a.$": "$.a"}, "/States/A/Parameters/a.$"),
        ({"deep": [{"b.$": "$..["}]}, "/States/A/Parameters/deep/0/b.$"),
        ({"f.$": "States.Format('{}')x"}, "/States/A/Parameters/f.$"),
        ({"f.$": "States.ArrayLength($.a, $.b)"}, "/States/A/Parameters/f.$"),
        ({"f.$": "States.Nope($.a)"}, "/States/A/Parameters/f.$"),
    ],
)
def test_payload_templates(parameters: dict[str, Any], pointer: str) -> None:
    assert pointer in pointers(machine({"A": task(Parameters=parameters)}))


def test_payload_template_with_paths_context_and_intrinsics_is_valid() -> None:
    parameters = {
        "a.$": "$.a[0].b",
        "c.$": "$$.Execution.Id",
        "f.$": "States.Format('{} of {}', $.x, States.ArrayLength($.items))",
        "literal": "$.not evaluated",
    }
    assert problems(machine({"A": task(Parameters=parameters)})) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("InputPath", "a.b"),
        ("OutputPath", "$.a[?(@.x"),
        ("ResultPath", "$.a[*]"),
        ("ResultPath", "$$.Execution"),
        ("ResultPath", "$var"),
    ],
)
def test_paths_per_field(field: str, value: str) -> None:
    assert f"/States/A/{field}" in pointers(machine({"A": task(**{field: value})}))


def test_choice_rules() -> None:
    good = {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "B"}
    two_operators = {"Variable": "$.n", "NumericEquals": 1, "NumericLessThan": 2, "Next": "B"}
    bad_variable = {"Variable": "States.ArrayLength($.a)", "NumericEquals": 1, "Next": "B"}
    bad_time = {"Variable": "$.t", "TimestampEquals": "yesterday", "Next": "B"}
    nested_next = {"Not": {"Variable": "$.n", "IsNull": True, "Next": "B"}, "Next": "B"}
    states = {
        "A": {
            "Type": "Choice",
            "Choices": [good, two_operators, bad_variable, bad_time, nested_next],
            "Default": "B",
        },
        "B": {"Type": "Succeed"},
    }
    assert pointers(machine(states)) == {
        "/States/A/Choices/1",
        "/States/A/Choices/2/Variable",
        "/States/A/Choices/3/TimestampEquals",
        "/States/A/Choices/4/Not/Next",
    }


def test_wait_timestamp_must_be_rfc3339() -> None:
    good = machine({"A": {"Type": "Wait", "Timestamp": "2026-02-28T23:59:60Z", "End": True}})
    bad = machine({"A": {"Type": "Wait", "Timestamp": "2026-02-30T10:00:00Z", "End": True}})
    assert problems(good) == []
    assert "/States/A/Timestamp" in pointers(bad)


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
        "arn:aws:states:::batch:submitJob.sync",
        "arn:aws:states:us-east-1:123456789012:activity:work",
        "${metadata_function_arn}",
        "arn:aws:lambda:${region}:123456789012:function:f",
    ],
)
def test_well_formed_resources(resource: str) -> None:
    assert problems(machine({"A": task(Resource=resource)})) == []


@pytest.mark.parametrize(
    "resource",
    ["lambda", "${unclosed", "arn:aws:lambda:us-east-1:123456789012:function:f:bad$", "arn:aws"],
)
def test_malformed_resources(resource: str) -> None:
    assert "/States/A/Resource" in pointers(machine({"A": task(Resource=resource)}))


def test_jsonata_states() -> None:
    good = machine(
        {"A": task(Arguments={"x": "{% $states.input.x + 1 %}"}, Output="{% $states.result %}")},
        QueryLanguage="JSONata",
    )
    assert problems(good) == []
    broken = machine({"A": task(Output="{% $sum(1, %}")}, QueryLanguage="JSONata")
    assert "/States/A/Output" in pointers(broken)
    jsonpath_field = machine({"A": task(ResultPath="$.x")}, QueryLanguage="JSONata")
    assert "/States/A/ResultPath" in pointers(jsonpath_field)


def test_jsonata_fields_not_allowed_in_jsonpath_states() -> None:
    assert "/States/A/Output" in pointers(machine({"A": task(Output={"a": 1})}))


def test_state_level_query_language_applies_to_that_state() -> None:
    state = task(QueryLanguage="JSONata", Arguments={"x": "{% 1 + 1 %}"})
    assert problems(machine({"A": state})) == []


def test_nested_machines_get_the_same_checks() -> None:
    inner = {"StartAt": "In", "States": {"In": task(InputPath="nope")}}
    text = machine({"A": {"Type": "Map", "ItemProcessor": inner, "End": True}})
    assert "/States/A/ItemProcessor/States/In/InputPath" in pointers(text)


def test_distributed_map_fields() -> None:
    state = {
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "Parameters": {"Bucket": "b", "Key.$": "$.key"},
        },
        "ItemBatcher": {"MaxItemsPerBatch": 10},
        "ResultWriter": {
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "b", "Prefix": "p"},
        },
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "In",
            "States": {"In": {"Type": "Succeed"}},
        },
        "ToleratedFailurePercentage": 5,
        "Label": "Files",
        "End": True,
    }
    assert problems(machine({"A": state})) == []
    state["ToleratedFailurePercentage"] = 101
    assert "/States/A/ToleratedFailurePercentage" in pointers(machine({"A": state}))


def test_jsonata_condition_and_items_must_be_expressions() -> None:
    choice = {
        "Type": "Choice",
        "Choices": [
            {"Condition": "{% $states.input.n > 1 %}", "Next": "B"},
            {"Condition": "$.n", "Next": "B"},
        ],
        "Default": "B",
    }
    mapped = {
        "Type": "Map",
        "Items": "$.things",
        "ItemProcessor": {"StartAt": "In", "States": {"In": {"Type": "Succeed"}}},
        "Next": "B",
    }
    text = machine({"A": choice, "M": mapped, "B": {"Type": "Succeed"}}, QueryLanguage="JSONata")
    found = pointers(text)
    assert "/States/A/Choices/1/Condition" in found
    assert "/States/A/Choices/0/Condition" not in found
    assert "/States/M/Items" in found


def test_jsonata_item_reader_takes_arguments_not_parameters() -> None:
    reader = {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b"}}
    state = {
        "Type": "Map",
        "ItemReader": reader,
        "ItemProcessor": {"StartAt": "In", "States": {"In": {"Type": "Succeed"}}},
        "End": True,
    }
    text = machine({"A": state}, QueryLanguage="JSONata")
    assert "/States/A/ItemReader/Parameters" in pointers(text)
    reader["Arguments"] = reader.pop("Parameters")
    assert problems(machine({"A": state}, QueryLanguage="JSONata")) == []


@pytest.mark.parametrize(
    ("name", "valid"), [("count_1", True), ("größe", True), ("1st", False), ("a-b", False)]
)
def test_jsonpath_assign_names_are_unicode_identifiers(name: str, valid: bool) -> None:
    text = machine({"A": {"Type": "Pass", "Assign": {name: 1}, "End": True}})
    assert (f"/States/A/Assign/{name}" not in pointers(text)) is valid
