"""Plan mode against moto: tenants from S3 or DynamoDB, skip rules, chunks written one object
each and valid against the schemas, manifest last, a small pointer back, JSON logs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from metadata_fn.errors import BadEventError, ConfigError, ManifestError
from metadata_fn.handler import handler
from metadata_helpers import (
    RUNS_BUCKET,
    FakeLambdaContext,
    assert_valid,
    create_bucket,
    get_json,
    log_lines,
    put_images,
    put_manifest,
)

TENANT_BUCKET = "tenant-data-a"
OTHER_BUCKET = "tenant-data-b"


def plan_event(run_id: str = "run-1", **extra: Any) -> dict[str, Any]:
    return {"mode": "plan", "run_id": run_id, "task": "thumbnails", **extra}


def read_chunks(s3: Any, answer: dict[str, Any]) -> list[dict[str, Any]]:
    prefix = f"runs/{answer['run_id']}/chunks/"
    return [get_json(s3, f"{prefix}{index}.json") for index in range(answer["size"])]


def planned_keys(chunks: list[dict[str, Any]]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for chunk in chunks:
        for unit in chunk["units"]:
            keys.setdefault(unit["tenant_id"], []).extend(unit["items"])
    return keys


@pytest.fixture
def three_tenants(aws: Any) -> dict[str, list[str]]:
    create_bucket(aws, TENANT_BUCKET)
    create_bucket(aws, OTHER_BUCKET)
    keys = {
        "acme": put_images(aws, TENANT_BUCKET, "acme/", 40),
        "beta": put_images(aws, TENANT_BUCKET, "beta/", 5),
        "gamma": put_images(aws, OTHER_BUCKET, "", 3),
    }
    aws.put_object(Bucket=TENANT_BUCKET, Key="acme/images/notes.txt", Body=b"not an image")
    aws.put_object(Bucket=TENANT_BUCKET, Key="acme/other/x.jpg", Body=b"elsewhere")
    put_manifest(
        aws,
        [
            {
                "tenant_id": "acme",
                "bucket": TENANT_BUCKET,
                "prefix": "acme/",
                "parameters": {"sizes": [400, 100]},
            },
            {"tenant_id": "beta", "bucket": TENANT_BUCKET, "prefix": "beta/", "enabled": True},
            {"tenant_id": "gamma", "bucket": OTHER_BUCKET},
        ],
    )
    return keys


def test_plan_writes_balanced_valid_chunks_and_returns_a_pointer(
    function_env: Callable[..., None],
    three_tenants: dict[str, list[str]],
    lambda_context: FakeLambdaContext,
    capsys: pytest.CaptureFixture[str],
) -> None:
    s3 = boto3.client("s3")
    function_env(BGTASKS_WORKERS="4")
    answer = handler(plan_event(), lambda_context)

    assert answer == {
        "run_id": "run-1",
        "task": "thumbnails",
        "bucket": RUNS_BUCKET,
        "chunks_uri": f"s3://{RUNS_BUCKET}/runs/run-1/chunks/",
        "size": 4,
        "tenants": 3,
        "items": 48,
        "skipped": 0,
    }
    assert len(json.dumps(answer)) < 1024, "only a small pointer goes back to Step Functions"
    chunks = read_chunks(s3, answer)
    for index, chunk in enumerate(chunks):
        assert_valid("chunk", chunk)
        assert chunk["index"] == index
    # Every image exactly once, in key order within each tenant; no non-image, no other prefix.
    assert planned_keys(chunks) == three_tenants
    sizes = [sum(len(u["items"]) for u in chunk["units"]) for chunk in chunks]
    assert sizes == sorted(sizes, reverse=True) and max(sizes) == 12, "48 items over 4 workers"
    acme_units = [u for c in chunks for u in c["units"] if u["tenant_id"] == "acme"]
    assert all(u["parameters"] == {"sizes": [400, 100]} for u in acme_units)
    assert sorted(u["part"] for u in acme_units) == list(range(len(acme_units)))

    manifest = get_json(s3, "runs/run-1/chunks/manifest.json")
    assert_valid("chunk-manifest", manifest)
    assert manifest["size"] == 4
    assert manifest["allowed_buckets"] == [TENANT_BUCKET, OTHER_BUCKET]
    assert manifest["planned"]["items"] == 48
    plan_view = get_json(s3, "runs/run-1/plan.json")
    assert_valid("plan", plan_view)
    assert {t["tenant_id"]: t["items"] for t in plan_view["tenants"]} == {
        "acme": 40,
        "beta": 5,
        "gamma": 3,
    }

    lines = log_lines(capsys.readouterr().out)
    assert lines and all(line["run_id"] == "run-1" for line in lines)
    assert all(line["function_request_id"] == lambda_context.aws_request_id for line in lines)
    planned = [line for line in lines if line["message"] == "tenant planned"]
    assert {line["tenant_id"] for line in planned} == {"acme", "beta", "gamma"}


def test_manifest_is_written_after_every_chunk(
    function_env: Callable[..., None], three_tenants: dict[str, list[str]], monkeypatch: Any
) -> None:
    from metadata_fn import writer

    order: list[str] = []
    real_put = writer.put_json

    def recording_put(s3: Any, bucket: str, key: str, document: Any) -> None:
        order.append(key.rsplit("/", 1)[-1])
        real_put(s3, bucket, key, document)

    monkeypatch.setattr(writer, "put_json", recording_put)
    function_env(BGTASKS_WORKERS="3")
    handler(plan_event(), FakeLambdaContext())
    assert sorted(order[:3]) == ["0.json", "1.json", "2.json"]
    assert order[3:] == ["plan.json", "manifest.json"]


def test_a_failed_chunk_write_leaves_no_manifest(
    function_env: Callable[..., None], three_tenants: dict[str, list[str]], monkeypatch: Any
) -> None:
    from metadata_fn import writer

    real_put = writer.put_json

    def failing_put(s3: Any, bucket: str, key: str, document: Any) -> None:
        if key.endswith("/1.json"):
            raise OSError("connection reset")
        real_put(s3, bucket, key, document)

    monkeypatch.setattr(writer, "put_json", failing_put)
    function_env(BGTASKS_WORKERS="3")
    with pytest.raises(OSError, match="connection reset"):
        handler(plan_event(), FakeLambdaContext())
    listed = boto3.client("s3").list_objects_v2(Bucket=RUNS_BUCKET, Prefix="runs/run-1/")
    keys = {entry["Key"] for entry in listed.get("Contents", [])}
    assert "runs/run-1/chunks/manifest.json" not in keys


def test_max_chunks_from_the_event_lowers_the_limit(
    function_env: Callable[..., None], three_tenants: dict[str, list[str]]
) -> None:
    assert handler(plan_event(max_chunks=2), FakeLambdaContext())["size"] == 2
    function_env(BGTASKS_MAX_CHUNKS="3")
    assert handler(plan_event("run-2", max_chunks=50), FakeLambdaContext())["size"] == 3


def test_sitemap_tenants_stay_whole(function_env: Callable[..., None], aws: Any) -> None:
    create_bucket(aws, TENANT_BUCKET)
    aws.put_object(
        Bucket=TENANT_BUCKET,
        Key="big/urls.txt",
        Body="\n".join(f"https://big.example/p/{n}" for n in range(500)) + "\n\n",
    )
    aws.put_object(Bucket=TENANT_BUCKET, Key="small/urls.txt", Body="https://small.example/\n")
    put_manifest(
        aws,
        [
            {"tenant_id": "big", "bucket": TENANT_BUCKET, "prefix": "big/"},
            {"tenant_id": "small", "bucket": TENANT_BUCKET, "prefix": "small/"},
            {"tenant_id": "none", "bucket": TENANT_BUCKET, "prefix": "none/"},
        ],
    )
    function_env(BGTASKS_TASK="sitemap")
    answer = handler({"mode": "plan", "run_id": "s1", "task": "sitemap"}, FakeLambdaContext())
    assert (answer["size"], answer["tenants"], answer["skipped"]) == (2, 2, 1)
    chunks = read_chunks(aws, answer)
    assert [
        [(u["tenant_id"], len(u["items"]), u["parts"]) for u in c["units"]] for c in chunks
    ] == [
        [("big", 500, 1)],
        [("small", 1, 1)],
    ]


def test_tenants_from_dynamodb(
    function_env: Callable[..., None], aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName="tenants",
        KeySchema=[{"AttributeName": "tenant_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "tenant_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    create_bucket(aws, TENANT_BUCKET)
    put_images(aws, TENANT_BUCKET, "d1/", 4)
    put_images(aws, TENANT_BUCKET, "d2/", 2)
    for tenant_id, enabled in (("d1", True), ("d2", True), ("d3", False)):
        dynamodb.put_item(
            TableName="tenants",
            Item={
                "tenant_id": {"S": tenant_id},
                "bucket": {"S": TENANT_BUCKET},
                "prefix": {"S": f"{tenant_id}/"},
                "enabled": {"BOOL": enabled},
                "parameters": {"M": {"quality": {"N": "80"}}},
            },
        )
    function_env(BGTASKS_TENANT_SOURCE="dynamodb://tenants")
    answer = handler(plan_event(), FakeLambdaContext())
    assert (answer["tenants"], answer["items"], answer["skipped"]) == (2, 6, 1)
    units = [u for c in read_chunks(aws, answer) for u in c["units"]]
    assert all(u["parameters"] == {"quality": 80} for u in units)
    skipped = [
        line for line in log_lines(capsys.readouterr().out) if line["message"] == "tenant skipped"
    ]
    assert [(line["tenant_id"], line["reason"]) for line in skipped] == [("d3", "disabled")]


def test_skip_rules_disabled_excluded_not_allowed_empty_unreadable(
    function_env: Callable[..., None], aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    create_bucket(aws, TENANT_BUCKET)
    create_bucket(aws, OTHER_BUCKET)
    for prefix in ("on/", "off/", "out/", "empty-not/"):
        put_images(aws, TENANT_BUCKET, prefix, 2)
    put_images(aws, OTHER_BUCKET, "", 2)
    put_manifest(
        aws,
        [
            {"tenant_id": "on", "bucket": TENANT_BUCKET, "prefix": "on/"},
            {"tenant_id": "off", "bucket": TENANT_BUCKET, "prefix": "off/", "enabled": False},
            {"tenant_id": "out", "bucket": TENANT_BUCKET, "prefix": "out/"},
            {"tenant_id": "elsewhere", "bucket": OTHER_BUCKET},
            {"tenant_id": "empty", "bucket": TENANT_BUCKET, "prefix": "empty/"},
            {"tenant_id": "gone", "bucket": "no-such-bucket-here"},
        ],
    )
    function_env(BGTASKS_ALLOWED_BUCKETS=f"{TENANT_BUCKET}, no-such-bucket-here")
    answer = handler(plan_event(exclude_tenants=["out"]), FakeLambdaContext())
    assert (answer["tenants"], answer["items"], answer["skipped"]) == (1, 2, 5)
    manifest = get_json(aws, "runs/run-1/chunks/manifest.json")
    assert manifest["allowed_buckets"] == [TENANT_BUCKET]
    plan_view = get_json(aws, "runs/run-1/plan.json")
    assert {s["tenant_id"]: s["reason"] for s in plan_view["skipped"]} == {
        "off": "disabled",
        "out": "excluded by the event",
        "elsewhere": "bucket not allowed",
        "empty": "nothing to do",
        "gone": "inputs unreadable",
    }
    lines = log_lines(capsys.readouterr().out)
    refused = [line for line in lines if line["message"] == "tenant refused"]
    assert [(line["tenant_id"], line["level"]) for line in refused] == [("elsewhere", "WARNING")]
    assert OTHER_BUCKET in refused[0]["reason"]
    unreadable = [line for line in lines if line.get("tenant_id") == "gone"]
    assert unreadable[0]["level"] == "ERROR" and "NoSuchBucket" in unreadable[0]["reason"]
    assert all(line["run_id"] == "run-1" for line in lines)


def put_last_success(s3: Any, tenant_id: str, data_as_of: datetime) -> None:
    record = {
        "schema_version": 1,
        "tenant_id": tenant_id,
        "task": "thumbnails",
        "run_id": "earlier",
        "data_as_of": data_as_of.isoformat(),
        "recorded_at": data_as_of.isoformat(),
    }
    assert_valid("last-success", record)
    s3.put_object(
        Bucket=RUNS_BUCKET, Key=f"state/thumbnails/{tenant_id}.json", Body=json.dumps(record)
    )


def test_up_to_date_tenants_are_skipped_unless_forced(
    function_env: Callable[..., None], three_tenants: dict[str, list[str]], aws: Any
) -> None:
    later = datetime.now(UTC) + timedelta(minutes=5)
    earlier = datetime.now(UTC) - timedelta(days=1)
    put_last_success(aws, "acme", later)  # saw the data after its newest image: skip
    put_last_success(aws, "beta", earlier)  # images changed since: plan
    aws.put_object(Bucket=RUNS_BUCKET, Key="state/thumbnails/gamma.json", Body=b"{broken")
    answer = handler(plan_event(), FakeLambdaContext())
    assert (answer["tenants"], answer["items"], answer["skipped"]) == (2, 8, 1)
    skipped = get_json(aws, "runs/run-1/plan.json")["skipped"]
    assert skipped == [{"tenant_id": "acme", "reason": "up to date"}]

    forced = handler(plan_event("run-2", force=True), FakeLambdaContext())
    assert (forced["tenants"], forced["items"], forced["skipped"]) == (3, 48, 0)


def test_an_input_changed_in_the_same_second_counts_as_new(
    function_env: Callable[..., None], three_tenants: dict[str, list[str]], aws: Any
) -> None:
    newest = max(
        entry["LastModified"] for entry in aws.list_objects_v2(Bucket=OTHER_BUCKET)["Contents"]
    )
    put_last_success(aws, "gamma", newest.replace(microsecond=999_000))
    answer = handler(plan_event(), FakeLambdaContext())
    assert answer["tenants"] == 3


def test_nothing_to_do_writes_nothing_and_says_size_0(
    function_env: Callable[..., None], aws: Any
) -> None:
    create_bucket(aws, TENANT_BUCKET)
    put_manifest(aws, [{"tenant_id": "idle", "bucket": TENANT_BUCKET}])
    answer = handler(plan_event(), FakeLambdaContext())
    assert (answer["size"], answer["tenants"], answer["skipped"]) == (0, 0, 1)
    assert "Contents" not in aws.list_objects_v2(Bucket=RUNS_BUCKET, Prefix="runs/")


@pytest.mark.parametrize(
    ("manifest", "needle"),
    [
        ("{not json", "not valid JSON"),
        ('{"tenant_id": "a"}', "expected a JSON list"),
        ('["acme"]', "expected an object"),
        ('[{"bucket": "tenant-data-a"}]', "tenant_id must match"),
        ('[{"tenant_id": "a", "bucket": "Bad_Bucket"}]', "bucket must be"),
        ('[{"tenant_id": "a", "bucket": "tenant-data-a", "enabled": "yes"}]', "enabled"),
        ('[{"tenant_id": "a", "bucket": "tenant-data-a", "parameters": []}]', "parameters"),
        ('[{"tenant_id": "a", "bucket": "tenant-data-a", "prefix": "/abs"}]', "prefix"),
        ('[{"tenant_id": "a", "bucket": "tenant-data-a", "colour": 1}]', "unknown field"),
        (
            '[{"tenant_id": "a", "bucket": "tenant-data-a"}, '
            '{"tenant_id": "a", "bucket": "tenant-data-a"}]',
            "appears twice",
        ),
    ],
)
def test_a_malformed_manifest_raises_a_clear_error(
    function_env: Callable[..., None],
    aws: Any,
    manifest: str,
    needle: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    put_manifest(aws, manifest)
    with pytest.raises(ManifestError, match=needle) as raised:
        handler(plan_event(), FakeLambdaContext())
    assert "\n" not in str(raised.value)
    last = log_lines(capsys.readouterr().out)[-1]
    assert (last["level"], last["error"], last["run_id"]) == ("ERROR", "ManifestError", "run-1")
    assert "Contents" not in aws.list_objects_v2(Bucket=RUNS_BUCKET, Prefix="runs/")


def test_a_missing_manifest_or_table_raises_manifest_error(
    function_env: Callable[..., None], aws: Any
) -> None:
    with pytest.raises(ManifestError, match="cannot read the tenant manifest"):
        handler(plan_event(), FakeLambdaContext())
    function_env(BGTASKS_TENANT_SOURCE="dynamodb://no-such-table")
    with pytest.raises(ManifestError, match="cannot scan"):
        handler(plan_event(), FakeLambdaContext())


@pytest.mark.parametrize(
    ("event", "needle"),
    [
        ([], "JSON object"),
        ({"mode": "explode"}, "mode must be"),
        ({"mode": "plan", "task": "thumbnails"}, "run_id"),
        ({"mode": "plan", "run_id": "bad id!", "task": "thumbnails"}, "run_id"),
        ({"mode": "plan", "run_id": "r", "task": "sitemap"}, "plans task 'thumbnails'"),
        (plan_event(max_chunks=0), "max_chunks"),
        (plan_event(max_chunks=10_001), "max_chunks"),
        (plan_event(max_chunks=True), "max_chunks"),
        (plan_event(exclude_tenants="acme"), "exclude_tenants"),
        (plan_event(force="yes"), "force"),
    ],
)
def test_bad_events_raise_bad_event_error(
    function_env: Callable[..., None], three_tenants: Any, event: Any, needle: str
) -> None:
    with pytest.raises(BadEventError, match=needle):
        handler(event, FakeLambdaContext())


def test_max_chunks_as_a_digit_string_is_accepted(
    function_env: Callable[..., None], three_tenants: Any
) -> None:
    assert handler(plan_event(max_chunks="2"), FakeLambdaContext())["size"] == 2


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ({"BGTASKS_RUNS_BUCKET": ""}, "BGTASKS_RUNS_BUCKET"),
        ({"BGTASKS_MAX_CHUNKS": "20000"}, "BGTASKS_MAX_CHUNKS"),
        ({"BGTASKS_STARTUP_COST": "-3"}, "BGTASKS_STARTUP_COST"),
        ({"BGTASKS_WORKERS": "many"}, "BGTASKS_WORKERS"),
        ({"BGTASKS_TENANT_SOURCE": "ftp://x/y"}, "tenant source"),
        ({"BGTASKS_TENANT_SOURCE": ""}, "BGTASKS_TENANT_SOURCE"),
        ({"BGTASKS_TASK": "unknown"}, "not in the task table"),
    ],
)
def test_bad_configuration_raises_config_error(
    function_env: Callable[..., None], three_tenants: Any, overrides: dict[str, str], needle: str
) -> None:
    function_env(**overrides)
    event = plan_event()
    if overrides.get("BGTASKS_TASK") == "unknown":
        event["task"] = "unknown"
    with pytest.raises(ConfigError, match=needle):
        handler(event, FakeLambdaContext())


def test_the_cli_prints_the_plan_the_lambda_writes(
    function_env: Callable[..., None],
    three_tenants: dict[str, list[str]],
    aws: Any,
    tmp_path: Any,
) -> None:
    import subprocess
    import sys
    from pathlib import Path

    function_env(BGTASKS_WORKERS="3", BGTASKS_STARTUP_COST="2")
    answer = handler(plan_event(), FakeLambdaContext())
    written = [
        [(u["tenant_id"], len(u["items"])) for u in chunk["units"]]
        for chunk in read_chunks(aws, answer)
    ]
    tenants_file = tmp_path / "tenants.json"
    tenants_file.write_text(
        json.dumps([{"tenant_id": t, "items": keys} for t, keys in three_tenants.items()])
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "bgtasks"),
            "chunks",
            "plan",
            "--tenants",
            str(tenants_file),
            "--chunks",
            "100",
            "--workers",
            "3",
            "--startup-cost",
            "2",
            "--task",
            "thumbnails",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    printed = json.loads(result.stdout)
    assert [[(t["tenant_id"], t["items"]) for t in c["tenants"]] for c in printed["chunks"]] == (
        written
    )
    manifest = get_json(aws, "runs/run-1/chunks/manifest.json")
    assert printed["makespan"] == manifest["planned"]["makespan"]
    assert printed["lower_bound"] == manifest["planned"]["lower_bound"]
