"""Triggers: enabled EventBridge Scheduler schedules that target a state machine fire.

moto stores `aws_scheduler_schedule`s but never fires them. A background thread looks at every
schedule each second, keeps each one's next firing time, and when it is due starts an execution
through the embedded AWS's own API (as the Scheduler service would, with the target's input).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

import boto3

from bgtasks.local.schedule_expressions import ExpressionError, next_fire
from bgtasks.local.settings import FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, Settings

LOGGER = logging.getLogger(__name__)
_TICK_SECONDS = 1.0
_START_EXECUTION = ":states:::aws-sdk:sfn:startExecution"


def is_state_machine_target(arn: str) -> bool:
    return ":states:" in arn and (":stateMachine:" in arn or arn.endswith(_START_EXECUTION))


class ScheduleRunner:
    """Fires due schedules; `fired` counts the executions started (for tests and status)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._next: dict[tuple[str, str], datetime | None] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bgtasks-schedules", daemon=True)
        self.fired = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(_TICK_SECONDS):
            try:
                self.tick(datetime.now(UTC))
            except Exception:  # a bad schedule must not stop the others
                LOGGER.exception("schedule tick failed")

    def tick(self, now: datetime) -> None:
        from moto.scheduler.models import scheduler_backends

        seen: set[tuple[str, str]] = set()
        for _account_id, region, backend in scheduler_backends.iter_backends():
            for group in list(getattr(backend, "schedule_groups", {}).values()):
                for schedule in list(group.schedules.values()):
                    key = (
                        schedule.arn,
                        f"{schedule.schedule_expression}|{schedule.last_modified_date}",
                    )
                    seen.add(key)
                    self._consider(schedule, key, region, now)
        for stale in set(self._next) - seen:
            del self._next[stale]

    def _consider(self, schedule: Any, key: tuple[str, str], region: str, now: datetime) -> None:
        target = schedule.target or {}
        if schedule.state != "ENABLED" or not is_state_machine_target(str(target.get("Arn", ""))):
            return
        if key not in self._next:
            self._next[key] = self._after(schedule, now)
            return
        due = self._next[key]
        if due is None or due > now:
            return
        self._next[key] = self._after(schedule, now)
        self._fire(schedule, region)

    @staticmethod
    def _after(schedule: Any, now: datetime) -> datetime | None:
        try:
            return next_fire(
                schedule.schedule_expression, now, schedule.schedule_expression_timezone or "UTC"
            )
        except ExpressionError as error:
            LOGGER.warning("schedule %s is not fired: %s", schedule.arn, error)
            return None

    def _fire(self, schedule: Any, region: str) -> None:
        target = schedule.target
        client = boto3.client(
            "stepfunctions",
            endpoint_url=self._settings.endpoint,
            region_name=region,
            aws_access_key_id=FAKE_ACCESS_KEY_ID,
            aws_secret_access_key=FAKE_SECRET_ACCESS_KEY,
        )
        arn = str(target["Arn"])
        payload = target.get("Input") or "{}"
        if arn.endswith(_START_EXECUTION):
            import json

            request = json.loads(payload)
            client.start_execution(**request)
        else:
            client.start_execution(stateMachineArn=arn, input=payload)
        self.fired += 1
        LOGGER.info("schedule %s started an execution of %s", schedule.arn, arn)
