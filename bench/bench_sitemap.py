"""Sitemap benchmark: URLs per second from URL lines to gzip sitemap files and an index.

One core, 500,000 generated URLs (about 10 files of 50,000), the same functions the `sitemap`
task uses, without S3. Prints figures; passes or fails nothing.
"""

from __future__ import annotations

import time

from worker.sitemaps import (
    Entry,
    check_lastmod,
    gzip_bytes,
    index_document,
    normalise_url,
    split_into_files,
)

URLS = 500_000


def main() -> None:
    lines = [
        (f"https://shop.example/catalogue/{n % 97}/item-{n}?colour=r&size={n % 7}", "2026-11-30")
        for n in range(URLS)
    ]
    started = time.perf_counter()
    entries = [Entry(normalise_url(url), check_lastmod(lastmod)) for url, lastmod in lines]
    checked = time.perf_counter()
    files = [gzip_bytes(document) for document, _ in split_into_files(entries)]
    written = time.perf_counter()
    index_document(
        (f"https://shop.example/sitemaps/sitemap-{n}.xml.gz", None)
        for n in range(1, len(files) + 1)
    )
    total = time.perf_counter() - started
    print(
        f"sitemap: {URLS} URLs -> {len(files)} files ({sum(map(len, files)) / 1e6:.1f} MB gzip) "
        f"in {total:.2f} s: {URLS / total:,.0f} URLs/s "
        f"(checking {checked - started:.2f} s, XML + gzip {written - checked:.2f} s)"
    )


if __name__ == "__main__":
    main()
