"""Reading a Batch array job and its children the way `status`, `logs` and `redrive` do."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bgtasks.ops.aws import AwsClients
from bgtasks.ops.batchjobs import load_array_job, status_counts

if TYPE_CHECKING:
    from tests.ops.conftest import BatchSetup, SubmitArray


def test_every_child_of_an_array_job_is_described_in_index_order(
    aws: AwsClients, batch_setup: BatchSetup, submit_array: SubmitArray
) -> None:
    job_id = submit_array(size=5)

    job = load_array_job(aws.batch, job_id)

    assert job.size == 5
    assert [child.index for child in job.children] == [0, 1, 2, 3, 4]
    assert [child.job_id for child in job.children] == [f"{job_id}:{i}" for i in range(5)]
    assert job.counts()["SUCCEEDED"] == 5
    assert job.failed_indices() == []
    assert job.queue == batch_setup.queue_arn
    assert job.environment["BGTASKS_CHUNKS_URI"] == "s3://runs/runs/r1/chunks/"


def test_failed_children_are_listed_with_their_log_group(
    aws: AwsClients, submit_array: SubmitArray, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_SIMPLE_BATCH_FAIL_AFTER", "0")
    job_id = submit_array(size=3)

    job = load_array_job(aws.batch, job_id)

    assert job.failed_indices() == [0, 1, 2]
    assert job.counts()["FAILED"] == 3
    assert {child.log_group for child in job.children} == {"/aws/batch/bgtasks-local"}


def test_status_counts_fall_back_to_children_when_the_summary_is_empty(
    aws: AwsClients, batch_setup: BatchSetup, submit_array: SubmitArray
) -> None:
    job_id = submit_array(size=4)

    _, counts = status_counts(aws.batch, job_id)

    assert counts["SUCCEEDED"] == 4
    assert sum(counts.values()) == 4


def test_an_unknown_job_is_a_lookup_error(aws: AwsClients, batch_setup: BatchSetup) -> None:
    with pytest.raises(LookupError, match="no Batch job"):
        load_array_job(aws.batch, "00000000-0000-0000-0000-000000000000")
