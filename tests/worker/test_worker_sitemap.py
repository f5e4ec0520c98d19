"""The sitemap task: output that parses as sitemaps.org 0.9, split within the limits."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from worker_fixtures import (
    RUN_ID,
    RUNS_BUCKET,
    TENANT_BUCKET,
    get_json,
    run_worker_in_process,
    unit,
    write_run,
)

from worker import sitemaps
from worker.errors import EXIT_OK
from worker.sitemaps import Entry, split_into_files

NS = {"sm": sitemaps.NAMESPACE}
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def read(s3: Any, key: str) -> bytes:
    return s3.get_object(Bucket=TENANT_BUCKET, Key=key)["Body"].read()


def parse_output(s3: Any, prefix: str) -> tuple[list[str], list[tuple[str, str | None]]]:
    """The index's sitemap locations, and every (loc, lastmod) of the files it lists, in order."""
    index = ET.fromstring(read(s3, f"{prefix}sitemaps/sitemap-index.xml"))
    assert index.tag == f"{{{sitemaps.NAMESPACE}}}sitemapindex"
    locations = [el.text or "" for el in index.findall("sm:sitemap/sm:loc", NS)]
    urls: list[tuple[str, str | None]] = []
    for location in locations:
        name = location.rsplit("/", 1)[1]
        document = gzip.decompress(read(s3, f"{prefix}sitemaps/{name}"))
        assert len(document) <= sitemaps.MAX_FILE_BYTES
        root = ET.fromstring(document)
        assert root.tag == f"{{{sitemaps.NAMESPACE}}}urlset"
        entries = root.findall("sm:url", NS)
        assert 1 <= len(entries) <= sitemaps.MAX_URLS_PER_FILE
        for entry in entries:
            lastmod = entry.findtext("sm:lastmod", None, NS)
            assert lastmod is None or W3C.match(lastmod), lastmod
            urls.append((entry.findtext("sm:loc", "", NS), lastmod))
    return locations, urls


def test_url_items_become_gzip_sitemaps_and_an_index_that_parse(s3: Any) -> None:
    s3.put_object(Bucket=TENANT_BUCKET, Key="shop/urls.txt", Body=b"(planned from this)\n")
    items = [
        "https://shop.example/",
        "https://shop.example/search?q=a&b=<c>&quote='x'",
        "https://shop.example/caf\u00e9 2026-11-30",
        "https://shop.example/news 2026-12-01T08:30:00+01:00",
    ]
    write_run(s3, "sitemap", [[unit("t1", items, prefix="shop/")]])

    run = run_worker_in_process()

    assert run.code == EXIT_OK, run.stderr
    locations, urls = parse_output(s3, "shop/")
    assert locations == ["https://shop.example/sitemaps/sitemap-1.xml.gz"]
    listed = dict(urls)
    assert list(listed) == [
        "https://shop.example/",
        "https://shop.example/search?q=a&b=%3Cc%3E&quote='x'",
        "https://shop.example/caf%C3%A9",
        "https://shop.example/news",
    ]
    assert listed["https://shop.example/caf%C3%A9"] == "2026-11-30"
    assert listed["https://shop.example/news"] == "2026-12-01T08:30:00+01:00"
    # No lastmod of its own: the URL list's last-modified time, in W3C form.
    assert re.match(
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", listed["https://shop.example/"] or ""
    )
    raw = gzip.decompress(read(s3, "shop/sitemaps/sitemap-1.xml.gz"))
    assert b"q=a&amp;b=%3Cc%3E&amp;quote=&apos;x&apos;" in raw
    result = get_json(s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/0.json")
    assert result["tenants"][0]["items_ok"] == 4
    assert result["tenants"][0]["outputs"] == 2


def test_a_url_list_object_is_read_and_bad_lines_are_reported(s3: Any) -> None:
    lines = ["# catalogue", "", "https://a.example/1", "ftp://a.example/2", "not a url at all"]
    lines += ["https://a.example/3 yesterday", "https://a.example/1"]
    s3.put_object(Bucket=TENANT_BUCKET, Key="urls.txt", Body="\n".join(lines).encode())
    write_run(
        s3,
        "sitemap",
        [[unit("t1", ["urls.txt"])]],
        parameters={"sitemaps_base_url": "https://cdn.example/maps/"},
    )

    run = run_worker_in_process(BGTASKS_MAX_FAILED_SHARE="0.9")

    assert run.code == EXIT_OK, run.stderr
    locations, urls = parse_output(s3, "")
    assert locations == ["https://cdn.example/maps/sitemap-1.xml.gz"]
    assert [loc for loc, _ in urls] == ["https://a.example/1"]  # listed once
    tenant = get_json(s3, RUNS_BUCKET, f"runs/{RUN_ID}/results/0.json")["tenants"][0]
    assert tenant["items_failed"] == 3
    assert {f["item"] for f in tenant["failures"]} == {
        "ftp://a.example/2",
        "not a url at all",
        "https://a.example/3",
    }


def test_many_urls_split_into_numbered_files_and_stale_files_go(
    s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitemaps, "MAX_URLS_PER_FILE", 10)
    s3.put_object(Bucket=TENANT_BUCKET, Key="sitemaps/sitemap-9.xml.gz", Body=b"from an old run")
    s3.put_object(Bucket=TENANT_BUCKET, Key="sitemaps/notes.txt", Body=b"not ours")
    urls = [f"https://big.example/p/{n}" for n in range(35)]
    write_run(s3, "sitemap", [[unit("t1", urls)]])

    assert run_worker_in_process().code == EXIT_OK

    locations, listed = parse_output(s3, "")
    assert [loc.rsplit("/", 1)[1] for loc in locations] == [
        f"sitemap-{n}.xml.gz" for n in (1, 2, 3, 4)
    ]
    assert [loc for loc, _ in listed] == urls
    keys = {e["Key"] for e in s3.list_objects_v2(Bucket=TENANT_BUCKET)["Contents"]}
    assert "sitemaps/sitemap-9.xml.gz" not in keys
    assert "sitemaps/notes.txt" in keys


def test_files_stay_under_the_byte_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemaps, "MAX_FILE_BYTES", 1000)
    entries = [Entry(f"https://e.example/{'x' * 50}/{n}", "2026-01-01") for n in range(40)]
    documents = list(split_into_files(entries))
    assert len(documents) > 1
    found = []
    for document, lastmod in documents:
        assert len(document) <= 1000
        assert lastmod == "2026-01-01"
        root = ET.fromstring(document)
        found += [el.text for el in root.findall("sm:url/sm:loc", NS)]
    assert found == [entry.loc for entry in entries]


def test_retried_sitemap_child_writes_identical_bytes(s3: Any) -> None:
    urls = [f"https://r.example/{n} 2026-10-0{n % 9 + 1}" for n in range(100)]
    write_run(s3, "sitemap", [[unit("t1", urls)]])
    assert run_worker_in_process(AWS_BATCH_JOB_ATTEMPT="1").code == EXIT_OK
    first = (read(s3, "sitemaps/sitemap-1.xml.gz"), read(s3, "sitemaps/sitemap-index.xml"))
    assert run_worker_in_process(AWS_BATCH_JOB_ATTEMPT="2").code == EXIT_OK
    second = (read(s3, "sitemaps/sitemap-1.xml.gz"), read(s3, "sitemaps/sitemap-index.xml"))
    assert first == second


@pytest.mark.parametrize(
    "url",
    [
        "https://shop.example/",
        "http://shop.example:8080/a/b?c=d&e=f#top",
        "https://shop.example/%E2%82%AC/price?q=1+2",
        "https://shop.example",
    ],
)
def test_plain_urls_take_the_fast_path_unchanged_as_the_general_path_would(url: str) -> None:
    assert sitemaps.normalise_url(url) == url == sitemaps.encode_url(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://shop.example/caf\u00e9?x=\u00fc", "https://shop.example/caf%C3%A9?x=%C3%BC"),
        ("https://b\u00fccher.example/a", "https://xn--bcher-kva.example/a"),
        ("https://shop.example/a b", None),
        ("https:///no-host", None),
        ("mailto:someone@shop.example", None),
        ("/relative/path", None),
        ("https://shop.example/" + "x" * 2100, None),
    ],
)
def test_url_normalisation(url: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(sitemaps.BadUrlError):
            sitemaps.normalise_url(url)
    else:
        assert sitemaps.normalise_url(url) == expected
