"""Whatever JSON comes in, the validator answers with problems, never an exception: checks skip
nodes of the wrong shape (the schema reports those). Deterministic mutations of the corpus."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from asl_helpers import BACKGROUND_TASK, CORPUS

from bgtasks.asl import validate_definition

VALUES: list[Any] = [None, True, 0, -1, 1.5, 10**20, "", "x", "$", "$.a", "States.Format(",
                     "{% %}", "{% 1 + %}", "${x}", "JSONata", "Map", "Choice", [], [1], {},
                     {"a.$": 1}, {"Type": "Pass"}]  # fmt: skip
FIELDS = ["Assign", "Choices", "Branches", "ItemProcessor", "Iterator", "Catch", "Retry",
          "Parameters", "ResultSelector", "ItemSelector", "Credentials", "ItemReader",
          "ResultWriter", "ItemBatcher", "QueryLanguage", "Output", "Arguments", "Condition",
          "Variable", "Not", "And", "States", "StartAt", "Next", "Default", "End", "Type",
          "Resource", "TimeoutSeconds", "Timestamp", "ErrorEquals", "ReaderConfig",
          "ResultPath", "ErrorPath", "TimestampEquals", "Items"]  # fmt: skip
MUTATIONS = 1500


def _seeds() -> list[Any]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*/*.json"))]
    texts.append(BACKGROUND_TASK.read_text(encoding="utf-8").replace("${max_chunks}", "5"))
    seeds = []
    for text in texts:
        try:
            seeds.append(json.loads(text))
        except json.JSONDecodeError:
            continue
    return seeds


def _slots(node: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    if isinstance(node, dict):
        for key in list(node):
            found.append((node, key))
            _slots(node[key], found)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found.append((node, index))
            _slots(item, found)
    return found


def _mutate(document: Any, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 3)):
        slots = _slots(document, [])
        if not slots:
            return
        parent, key = rng.choice(slots)
        value = json.loads(json.dumps(rng.choice(VALUES)))
        if isinstance(parent, dict) and rng.random() < 0.5:
            parent[rng.choice(FIELDS)] = value
        else:
            parent[key] = value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mutated_definitions_never_raise(seed: int) -> None:
    rng = random.Random(seed)
    seeds = _seeds()
    for _ in range(MUTATIONS // 3):
        document = json.loads(json.dumps(rng.choice(seeds)))
        _mutate(document, rng)
        text = json.dumps(document)
        problems = validate_definition(text)  # raising here fails the test
        assert all(isinstance(p.pointer, str) and p.message for p in problems), text


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    nested: dict[str, Any] = {"StartAt": "L", "States": {"L": {"Type": "Succeed"}}}
    for level in range(2000):
        name = f"P{level}"
        nested = {
            "StartAt": name,
            "States": {name: {"Type": "Parallel", "Branches": [nested], "End": True}},
        }
    text = json.dumps(nested)
    found = validate_definition(text)
    assert len(found) == 1 and found[0].pointer == ""
    assert "nested too deeply" in found[0].message
