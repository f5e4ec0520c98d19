"""Schedules: expressions, and enabled schedules that target a state machine really fire."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from bgtasks.local.schedule_expressions import ExpressionError, next_fire

NOON = datetime(2026, 12, 4, 12, 0, 30, tzinfo=UTC)  # a Friday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("rate(5 minutes)", NOON + timedelta(minutes=5)),
        ("rate(1 hour)", NOON + timedelta(hours=1)),
        ("cron(0 3 * * ? *)", datetime(2026, 12, 5, 3, 0, tzinfo=UTC)),
        ("cron(15,45 * * * ? *)", datetime(2026, 12, 4, 12, 15, tzinfo=UTC)),
        ("cron(0/20 12 * * ? *)", datetime(2026, 12, 4, 12, 20, tzinfo=UTC)),
        ("cron(0 9 ? * MON-FRI *)", datetime(2026, 12, 7, 9, 0, tzinfo=UTC)),
        ("cron(0 0 1 JAN ? 2027)", datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
        ("at(2026-12-04T12:30:00)", datetime(2026, 12, 4, 12, 30, tzinfo=UTC)),
        ("at(2026-12-04T11:00:00)", None),
    ],
)
def test_next_fire(expression, expected):
    assert next_fire(expression, NOON) == expected


def test_cron_in_a_time_zone():
    fired = next_fire("cron(0 3 * * ? *)", NOON, "Europe/Berlin")
    assert fired is not None and fired.astimezone(UTC) == datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("expression", ["cron(0 3 L * ? *)", "cron(0 3 * *)", "every day"])
def test_unsupported_expressions_are_refused(expression):
    with pytest.raises(ExpressionError):
        next_fire(expression, NOON)


def test_enabled_schedule_starts_the_state_machine_with_its_input(embedded_aws):
    sfn = embedded_aws.client("stepfunctions")
    machine = sfn.create_state_machine(
        name="scheduled",
        roleArn="arn:aws:iam::123456789012:role/x",
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
    )["stateMachineArn"]
    soon = (datetime.now(UTC) + timedelta(seconds=3)).strftime("%Y-%m-%dT%H:%M:%S")
    scheduler = embedded_aws.client("scheduler")
    for name, state in (("fires", "ENABLED"), ("disabled", "DISABLED")):
        scheduler.create_schedule(
            Name=name,
            ScheduleExpression=f"at({soon})",
            State=state,
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={
                "Arn": machine,
                "RoleArn": "arn:aws:iam::123456789012:role/x",
                "Input": json.dumps({"from": name}),
            },
        )
    deadline = time.monotonic() + 20
    executions: list = []
    while time.monotonic() < deadline and not executions:
        executions = sfn.list_executions(stateMachineArn=machine)["executions"]
        time.sleep(0.5)
    time.sleep(2)  # a disabled schedule must not fire in the meantime either
    executions = sfn.list_executions(stateMachineArn=machine)["executions"]
    assert len(executions) == 1
    described = sfn.describe_execution(executionArn=executions[0]["executionArn"])
    assert json.loads(described["input"]) == {"from": "fires"}
