"""The seam with the metadata function: its plan mode writes the chunks, the worker does every
chunk, its summary mode reads the worker's results. All in moto, by both real code paths."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from metadata_fn import handler as handler_module
from worker_fixtures import (
    OTHER_BUCKET,
    RUNS_BUCKET,
    TENANT_BUCKET,
    jpeg_bytes,
    run_worker_in_process,
)

from worker.errors import EXIT_OK


def configure(monkeypatch: pytest.MonkeyPatch, s3: Any, task: str, tenants: list[Any]) -> None:
    s3.put_object(Bucket=RUNS_BUCKET, Key="config/tenants.json", Body=json.dumps(tenants))
    monkeypatch.setenv("BGTASKS_RUNS_BUCKET", RUNS_BUCKET)
    monkeypatch.setenv("BGTASKS_TENANT_SOURCE", f"s3://{RUNS_BUCKET}/config/tenants.json")
    monkeypatch.setenv("BGTASKS_TASK", task)
    monkeypatch.setenv("BGTASKS_MAX_CHUNKS", "3")


def plan_run_and_summarise(run_id: str, task: str) -> tuple[dict[str, Any], dict[str, Any]]:
    plan = handler_module.handler({"mode": "plan", "run_id": run_id, "task": task}, None)
    for index in range(plan["size"]):
        run = run_worker_in_process(index=index, chunks_uri=plan["chunks_uri"])
        assert run.code == EXIT_OK, run.stderr
    summary = handler_module.handler(
        {
            "mode": "summary",
            "run_id": run_id,
            "task": task,
            "chunks_uri": plan["chunks_uri"],
            "size": plan["size"],
        },
        None,
    )
    return plan, summary


def test_thumbnails_run_planned_by_the_metadata_function(
    s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(6):
        s3.put_object(Bucket=TENANT_BUCKET, Key=f"a/images/{n}.jpg", Body=jpeg_bytes(120, 80))
    for n in range(3):
        s3.put_object(Bucket=OTHER_BUCKET, Key=f"images/p{n}.jpg", Body=jpeg_bytes(80, 120))
    configure(
        monkeypatch,
        s3,
        "thumbnails",
        [
            {"tenant_id": "a", "bucket": TENANT_BUCKET, "prefix": "a/"},
            {"tenant_id": "b", "bucket": OTHER_BUCKET, "parameters": {"sizes": [64]}},
        ],
    )

    plan, summary = plan_run_and_summarise("seam-thumbnails", "thumbnails")

    assert plan["size"] >= 2 and plan["items"] == 9
    assert summary["status"] == "SUCCEEDED" and summary["failed_chunks"] == []
    a_keys = {
        e["Key"]
        for e in s3.list_objects_v2(Bucket=TENANT_BUCKET, Prefix="a/thumbnails/")["Contents"]
    }
    assert len(a_keys) == 6 * 3
    b_keys = {
        e["Key"] for e in s3.list_objects_v2(Bucket=OTHER_BUCKET, Prefix="thumbnails/")["Contents"]
    }
    assert b_keys == {f"thumbnails/64/p{n}.jpg" for n in range(3)}


def test_sitemap_run_planned_by_the_metadata_function(
    s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = [f"https://shop.example/p/{n}" for n in range(25)]
    s3.put_object(Bucket=TENANT_BUCKET, Key="shop/urls.txt", Body="\n".join(urls).encode())
    configure(
        monkeypatch,
        s3,
        "sitemap",
        [{"tenant_id": "shop", "bucket": TENANT_BUCKET, "prefix": "shop/"}],
    )

    _, summary = plan_run_and_summarise("seam-sitemap", "sitemap")

    assert summary["status"] == "SUCCEEDED", summary
    index = ET.fromstring(
        s3.get_object(Bucket=TENANT_BUCKET, Key="shop/sitemaps/sitemap-index.xml")["Body"].read()
    )
    assert len(index) == 1
    body = s3.get_object(Bucket=TENANT_BUCKET, Key="shop/sitemaps/sitemap-1.xml.gz")["Body"].read()
    listed = ET.fromstring(gzip.decompress(body))
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert [el.text for el in listed.iter(f"{namespace}loc")] == urls
