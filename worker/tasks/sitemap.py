"""`sitemap`: from a tenant's URL list, gzip sitemap files and one sitemap index.

Items are absolute http(s) URLs (the lines of `<prefix>urls.txt`, as the metadata function
plans them) or object keys of URL lists under the tenant's prefix. Each URL, or each line of a
URL list, may be followed by whitespace and a lastmod (W3C datetime); blank lines and `#`
comments are skipped. A URL without its own lastmod gets the last-modified time of its URL
list object (`<prefix>urls.txt` for URL items).

Output, in the tenant's bucket: `<prefix>sitemaps/sitemap-<n>.xml.gz` (n from 1), then
`<prefix>sitemaps/sitemap-index.xml` (uncompressed), then stale `sitemap-<n>.xml.gz` left by a
bigger earlier run are deleted. The index is written after every file it lists.
A tenant must come whole (one part): its sitemap files are numbered as one sequence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from worker.chunks import Unit
from worker.errors import BadInputError, ItemError
from worker.outcome import UnitOutcome
from worker.s3store import ObjectStore
from worker.sitemaps import (
    BadUrlError,
    Entry,
    check_lastmod,
    gzip_bytes,
    index_document,
    normalise_url,
    split_into_files,
    w3c_datetime,
)

PARAMETERS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {
        "sitemaps_base_url": {
            "type": "string",
            "pattern": "^https?://[^/\\s]+(/\\S*)?/$",
            "description": "Public URL of <prefix>sitemaps/ (ends with /), used in the index.",
        }
    },
}
INDEX_NAME = "sitemap-index.xml"
_SITEMAP_FILE = re.compile(r"^sitemap-(\d+)\.xml\.gz$")


def check(unit: Unit, parameters: Mapping[str, Any]) -> None:
    if unit.parts != 1:
        raise BadInputError(
            f"tenant {unit.tenant_id!r}: the sitemap task needs each tenant whole, "
            f"got part {unit.part} of {unit.parts}"
        )
    for item in unit.items:
        if not _is_url(item) and not item.startswith(unit.prefix):
            raise BadInputError(
                f"tenant {unit.tenant_id!r}: sitemap item {item!r} is neither a URL "
                f"nor a key under {unit.prefix!r}"
            )


def run(unit: Unit, parameters: Mapping[str, Any], store: ObjectStore) -> UnitOutcome:
    outcome = UnitOutcome()
    entries = list(_entries(unit, store, outcome))
    if not entries:
        return outcome
    base = parameters.get("sitemaps_base_url") or _default_base(entries[0].loc)
    folder = f"{unit.prefix}sitemaps/"
    listed: list[tuple[str, str | None]] = []
    for number, (document, lastmod) in enumerate(split_into_files(entries), start=1):
        name = f"sitemap-{number}.xml.gz"
        # Served as a .gz file, not with Content-Encoding: crawlers fetch the gzip itself.
        store.put(unit.bucket, folder + name, gzip_bytes(document), "application/gzip")
        listed.append((base + name, lastmod))
    store.put(unit.bucket, folder + INDEX_NAME, index_document(listed), "application/xml")
    _delete_stale(store, unit.bucket, folder, len(listed))
    outcome.outputs = len(listed) + 1
    return outcome


def _is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def _default_base(first_loc: str) -> str:
    parts = urlsplit(first_loc)
    return f"{parts.scheme}://{parts.netloc}/sitemaps/"


def _entries(unit: Unit, store: ObjectStore, outcome: UnitOutcome) -> Iterator[Entry]:
    """Every valid, first-seen URL of the unit; bad lines are counted as failed items."""
    seen: set[str] = set()
    url_list_changed = None
    if any(_is_url(item) for item in unit.items):
        url_list_changed = store.last_modified(unit.bucket, f"{unit.prefix}urls.txt")
    for item in unit.items:
        if _is_url(item):
            lines = list(_parse_lines(item))
            default_lastmod = w3c_datetime(url_list_changed) if url_list_changed else None
        else:
            try:
                listing = store.get(unit.bucket, item)
            except ItemError as error:
                outcome.failed(item, str(error))
                continue
            try:
                text = listing.body.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                outcome.failed(item, f"URL list is not UTF-8: {error}")
                continue
            lines = list(_parse_lines(text))
            default_lastmod = w3c_datetime(listing.last_modified)
        for raw_url, raw_lastmod in lines:
            try:
                loc = normalise_url(raw_url)
                lastmod = check_lastmod(raw_lastmod) if raw_lastmod else default_lastmod
            except BadUrlError as error:
                outcome.failed(raw_url, str(error))
                continue
            outcome.ok()
            if loc not in seen:
                seen.add(loc)
                yield Entry(loc, lastmod)


def _parse_lines(text: str) -> Iterator[tuple[str, str | None]]:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split()
        if len(fields) > 2:
            yield stripped, None  # reported as a URL with whitespace
        else:
            yield fields[0], fields[1] if len(fields) == 2 else None


def _delete_stale(store: ObjectStore, bucket: str, folder: str, kept: int) -> None:
    """Files numbered beyond this run's count belong to a bigger earlier run."""
    for key in store.list_keys(bucket, folder + "sitemap-"):
        match = _SITEMAP_FILE.match(key[len(folder) :])
        if match is not None and int(match[1]) > kept:
            store.delete(bucket, key)
