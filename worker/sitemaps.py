"""sitemaps.org protocol 0.9: URL checks, files split by count and size, gzip, the index.

Pure functions over strings and bytes; the `sitemap` task does the reading and writing.
Gzip headers carry no name and mtime 0, so the same URLs always give the same bytes.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote, urlsplit, urlunsplit
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS_PER_FILE = 50_000
MAX_FILE_BYTES = 50 * 1024 * 1024  # uncompressed
MAX_URL_LENGTH = 2047  # "less than 2,048 characters"
MAX_SITEMAPS_PER_INDEX = 50_000
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET_OPEN = f'{_XML_DECLARATION}<urlset xmlns="{NAMESPACE}">\n'
_URLSET_CLOSE = "</urlset>\n"
_ENTITIES = {'"': "&quot;", "'": "&apos;"}
# Characters allowed unencoded in a URI (RFC 3986 reserved + unreserved, plus "%").
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~-._"
_W3C_DATETIME = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$"
)


class BadUrlError(ValueError):
    """A line of the URL list that cannot go into a sitemap."""


@dataclass(frozen=True)
class Entry:
    loc: str  # already percent-encoded, not yet XML-escaped
    lastmod: str | None


# Most URLs are plain ASCII already: accept those as they are, without splitting them.
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9!#$%&'()*+,/:;=?@~._-]*)?"
)


def normalise_url(raw: str) -> str:
    """An absolute http(s) URL, percent-encoded as the protocol asks; BadUrlError otherwise."""
    if _PLAIN_URL.fullmatch(raw):
        if len(raw) > MAX_URL_LENGTH:
            raise BadUrlError(f"URL longer than {MAX_URL_LENGTH} characters")
        return raw
    return encode_url(raw)


def encode_url(raw: str) -> str:
    """The general path of `normalise_url`: split, IDNA host, percent-encode, check."""
    try:
        parts = urlsplit(raw)
        host = parts.hostname
    except ValueError as error:
        raise BadUrlError(f"not a URL: {error}") from error
    if parts.scheme not in ("http", "https") or not host:
        raise BadUrlError("not an absolute http(s) URL")
    if any(ch.isspace() for ch in raw):
        raise BadUrlError("URL contains whitespace")
    netloc = parts.netloc
    if not netloc.isascii():
        try:
            netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
        except UnicodeError as error:
            raise BadUrlError(f"bad host name: {error}") from error
    url = urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URI_SAFE),
            quote(parts.query, safe=_URI_SAFE),
            quote(parts.fragment, safe=_URI_SAFE),
        )
    )
    if len(url) > MAX_URL_LENGTH:
        raise BadUrlError(f"URL longer than {MAX_URL_LENGTH} characters")
    return url


def w3c_datetime(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def check_lastmod(raw: str) -> str:
    """A lastmod in W3C datetime form (YYYY, YYYY-MM-DD, or a full timestamp with zone)."""
    if not _W3C_DATETIME.match(raw):
        raise BadUrlError(f"lastmod is not a W3C datetime: {raw!r}")
    return raw


def _url_element(entry: Entry) -> str:
    loc = escape(entry.loc, _ENTITIES)
    if entry.lastmod is None:
        return f"<url><loc>{loc}</loc></url>\n"
    return f"<url><loc>{loc}</loc><lastmod>{entry.lastmod}</lastmod></url>\n"


def split_into_files(entries: Iterable[Entry]) -> Iterator[tuple[bytes, str | None]]:
    """Uncompressed sitemap documents within both limits, each with its latest lastmod."""
    budget = MAX_FILE_BYTES - len(_URLSET_OPEN.encode()) - len(_URLSET_CLOSE.encode())
    lines: list[str] = []
    size = 0
    latest: str | None = None
    for entry in entries:
        line = _url_element(entry)
        line_size = len(line.encode("utf-8"))
        if lines and (len(lines) >= MAX_URLS_PER_FILE or size + line_size > budget):
            yield (_URLSET_OPEN + "".join(lines) + _URLSET_CLOSE).encode("utf-8"), latest
            lines, size, latest = [], 0, None
        lines.append(line)
        size += line_size
        if entry.lastmod is not None and (latest is None or entry.lastmod > latest):
            latest = entry.lastmod
    if lines:
        yield (_URLSET_OPEN + "".join(lines) + _URLSET_CLOSE).encode("utf-8"), latest


def gzip_bytes(document: bytes) -> bytes:
    """Gzip with a fixed header (no name, mtime 0): same input, same bytes."""
    return gzip.compress(document, compresslevel=9, mtime=0)


def index_document(sitemaps: Iterable[tuple[str, str | None]]) -> bytes:
    """A sitemap index listing (location, lastmod) pairs."""
    lines = [_XML_DECLARATION, f'<sitemapindex xmlns="{NAMESPACE}">\n']
    count = 0
    for loc, lastmod in sitemaps:
        count += 1
        if count > MAX_SITEMAPS_PER_INDEX:
            raise ValueError(f"more than {MAX_SITEMAPS_PER_INDEX} sitemaps for one index")
        element = f"<sitemap><loc>{escape(loc, _ENTITIES)}</loc>"
        if lastmod is not None:
            element += f"<lastmod>{lastmod}</lastmod>"
        lines.append(element + "</sitemap>\n")
    lines.append("</sitemapindex>\n")
    return "".join(lines).encode("utf-8")
