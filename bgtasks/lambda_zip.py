"""Deterministic Lambda zip of the metadata function: `make build` runs

    python -m bgtasks.lambda_zip functions/metadata build/metadata-function.zip

The zip holds the `metadata_fn` package (Python sources only) and the JSON Schemas of the
formats it writes, under `schemas/`. Entries are sorted, timestamps and permissions fixed, so
the same code always gives the same bytes, and `filebase64sha256()` changes only with the code.
The file is written beside the target and renamed into place: never half-written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "metadata_fn"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
FILE_MODE = 0o644 << 16


def zip_entries(source: Path, schemas: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file) for every file that ships, sorted by name."""
    package = source / PACKAGE
    if not (package / "__init__.py").is_file():
        raise ValueError(f"{source}: no {PACKAGE} package (expected {package}/__init__.py)")
    entries = [
        (path.relative_to(source).as_posix(), path)
        for path in package.rglob("*.py")
        if "__pycache__" not in path.parts
    ]
    schema_files = sorted(schemas.glob("*.schema.json")) if schemas.is_dir() else []
    if not schema_files:
        raise ValueError(f"{schemas}: no *.schema.json files")
    entries += [(f"schemas/{path.name}", path) for path in schema_files]
    return sorted(entries)


def build_zip(source: Path, target: Path, schemas: Path = REPO_ROOT / "schemas") -> int:
    """Write the zip; returns the number of entries."""
    entries = zip_entries(source, schemas)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w") as archive:
            for name, path in entries:
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.external_attr = FILE_MODE
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes(), compresslevel=9)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(entries)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bgtasks.lambda_zip",
        description="Build the metadata function's deterministic Lambda zip.",
    )
    parser.add_argument("source", type=Path, help="the function directory (functions/metadata)")
    parser.add_argument("target", type=Path, help="the zip to write")
    parser.add_argument(
        "--schemas", type=Path, default=REPO_ROOT / "schemas", help="JSON Schemas to include"
    )
    args = parser.parse_args(argv)
    try:
        count = build_zip(args.source, args.target, args.schemas)
    except (OSError, ValueError) as error:
        print(f"lambda_zip: {error}", file=sys.stderr)
        return 2
    print(f"{args.target}: {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
