"""The two state machine templates: placeholders as docs/interfaces.md names them, the shape
the rest of the system relies on, and validity both as templates and once rendered."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from asl_helpers import BACKGROUND_TASK, CHAINED_STAGES, REPO, TEMPLATE_VARIABLES, render

from bgtasks.asl import validate_definition

BASE_PLACEHOLDERS = {
    "metadata_function_arn", "job_queue_arn", "job_definition_arn", "failure_topic_arn",
    "task_name", "max_chunks",
}  # fmt: skip
CHAINED_PLACEHOLDERS = BASE_PLACEHOLDERS | {
    "stage_b_job_definition_arn",
    "stage_c_job_definition_arn",
}
LAMBDA_TRANSIENT = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
}


def states_of(path: Path) -> dict[str, Any]:
    states: dict[str, Any] = json.loads(render(path))["States"]
    return states


@pytest.mark.parametrize(
    ("path", "names"),
    [(BACKGROUND_TASK, BASE_PLACEHOLDERS), (CHAINED_STAGES, CHAINED_PLACEHOLDERS)],
)
def test_placeholders_are_exactly_the_documented_ones(path: Path, names: set[str]) -> None:
    text = path.read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{([^}]*)\}", text)) == names
    # No other `${` (a literal one would need `$${` for templatefile).
    assert text.count("${") == len(re.findall(r"\$\{[a-z_]+\}", text))
    interfaces = (REPO / "docs" / "interfaces.md").read_text(encoding="utf-8")
    for name in names:
        assert f"`{name}`" in interfaces


@pytest.mark.parametrize("path", [BACKGROUND_TASK, CHAINED_STAGES])
def test_valid_as_template_and_once_rendered(path: Path) -> None:
    assert validate_definition(path.read_text(encoding="utf-8")) == []
    assert validate_definition(render(path)) == []
    assert validate_definition(path.read_text(encoding="utf-8"), TEMPLATE_VARIABLES) == []


def test_max_chunks_is_a_number_once_rendered() -> None:
    plan = states_of(BACKGROUND_TASK)["Plan"]
    assert plan["Parameters"]["Payload"]["max_chunks"] == 100


@pytest.mark.parametrize("path", [BACKGROUND_TASK, CHAINED_STAGES])
def test_every_task_catches_everything_and_retries_transient_errors(path: Path) -> None:
    for name, state in states_of(path).items():
        if state["Type"] != "Task":
            continue
        assert state["Catch"][-1]["ErrorEquals"] == ["States.ALL"], name
        retried = {error for rule in state.get("Retry", []) for error in rule["ErrorEquals"]}
        assert "States.ALL" not in retried and "States.TaskFailed" not in retried, name
        if state["Resource"] == "arn:aws:states:::lambda:invoke":
            assert LAMBDA_TRANSIENT <= retried, name
        if "batch" in state["Resource"]:
            assert {"Batch.AWSBatchException", "Batch.ServerException"} <= retried, name


def test_background_task_flow() -> None:
    states = states_of(BACKGROUND_TASK)
    assert states["Plan"]["ResultPath"] == "$.plan"
    choice = states["HowManyChunks"]
    assert [(rule["NumericEquals"], rule["Next"]) for rule in choice["Choices"]] == [
        (0, "NothingToDo"),
        (1, "RunSingleJob"),
    ]
    assert choice["Default"] == "RunArrayJob"
    assert states["NothingToDo"]["Type"] == "Succeed"
    array = states["RunArrayJob"]
    assert array["Resource"] == "arn:aws:states:::batch:submitJob.sync"
    assert array["Parameters"]["ArrayProperties"] == {"Size.$": "$.plan.size"}
    assert {"Name": "BGTASKS_CHUNKS_URI", "Value.$": "$.plan.chunks_uri"} in array["Parameters"][
        "ContainerOverrides"
    ]["Environment"]
    for job in ("RunSingleJob", "RunArrayJob"):
        first_catch = states[job]["Catch"][0]
        assert first_catch == {
            "ErrorEquals": ["States.TaskFailed"],
            "ResultPath": "$.batch",
            "Next": "Summarise",
        }
    assert states["Summarise"]["Parameters"]["Payload"]["mode"] == "summary"
    assert states["RecordFailure"]["Parameters"]["Payload"]["mode"] == "failure"
    assert states["RecordFailure"]["Next"] == "NotifyFailure"
    assert states["NotifyFailure"]["Resource"] == "arn:aws:states:::sns:publish"
    assert states["NotifyFailure"]["Next"] == "RunFailed"
    assert states["RunFailed"]["Type"] == "Fail"


def test_chained_stages_wait_only_for_the_last_stage() -> None:
    states = states_of(CHAINED_STAGES)
    array_stages = ["SubmitArrayStageA", "SubmitArrayStageB", "RunArrayStageC"]
    resources = [states[name]["Resource"] for name in array_stages]
    assert resources == [
        "arn:aws:states:::batch:submitJob",
        "arn:aws:states:::batch:submitJob",
        "arn:aws:states:::batch:submitJob.sync",
    ]
    assert "DependsOn" not in states["SubmitArrayStageA"]["Parameters"]
    assert states["SubmitArrayStageB"]["Parameters"]["DependsOn"] == [
        {"JobId.$": "$.stage_a.JobId", "Type": "N_TO_N"}
    ]
    assert states["RunArrayStageC"]["Parameters"]["DependsOn"] == [
        {"JobId.$": "$.stage_b.JobId", "Type": "N_TO_N"}
    ]
    definitions = [states[name]["Parameters"]["JobDefinition"] for name in array_stages]
    assert definitions == [
        TEMPLATE_VARIABLES["job_definition_arn"],
        TEMPLATE_VARIABLES["stage_b_job_definition_arn"],
        TEMPLATE_VARIABLES["stage_c_job_definition_arn"],
    ]
