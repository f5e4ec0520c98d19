"""The ASL JSON Schema: a valid draft 2020-12 schema, and our compiled checker agrees with a
reference implementation (jsonschema) on every definition of the corpus and on ours."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asl_helpers import BACKGROUND_TASK, CHAINED_STAGES, CORPUS, TEMPLATE_VARIABLES, render
from jsonschema import Draft202012Validator

from bgtasks.asl import schema
from bgtasks.asl.loading import DefinitionError, load_definition


def reference() -> Draft202012Validator:
    document = schema.load_schema()
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


def documents() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for path in sorted(CORPUS.glob("*/*.json")):
        try:
            found.append((path.name, load_definition(path.read_text(encoding="utf-8")).root))
        except DefinitionError:
            continue
    for path in (BACKGROUND_TASK, CHAINED_STAGES):
        found.append((path.name, json.loads(render(path, TEMPLATE_VARIABLES))))
    return found


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    document = schema.load_schema()
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(document)


def test_schema_covers_every_state_type_and_both_query_languages() -> None:
    text = schema.SCHEMA_PATH.read_text(encoding="utf-8")
    words = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "JSONPath",
             "JSONata", "ItemReader", "ItemBatcher", "ResultWriter", "ProcessorConfig",
             "ToleratedFailurePercentage", "Label", "Retry", "Catch"]  # fmt: skip
    for word in words:
        assert f'"{word}"' in text, word


def test_compiled_checker_agrees_with_jsonschema() -> None:
    validator = reference()
    disagreements = []
    for name, document in documents():
        ours = not schema.check(document)
        theirs = validator.is_valid(document)
        if ours != theirs:
            disagreements.append(f"{name}: ours={ours} jsonschema={theirs}")
    assert not disagreements, "\n".join(disagreements)


def test_compiled_checker_refuses_keywords_it_does_not_implement() -> None:
    with pytest.raises(schema.SchemaError, match="unsupported keywords"):
        schema._Compiler({}).compile({"type": "object", "dependentRequired": {}})


def test_schema_rejects_what_it_should() -> None:
    bad = {"StartAt": "A", "States": {"A": {"Type": "Teleport", "End": True}}, "Extra": 1}
    found = {(p.pointer, p.message) for p in schema.check(bad)}
    assert ("/Extra", "field not allowed here") in found
    assert any(pointer == "/States/A/Type" for pointer, _ in found)
    assert not reference().is_valid(bad)
