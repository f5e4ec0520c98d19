#!/usr/bin/env bash
# `make checkov`: static security checks of modules/ and envs/ with zero failed checks.
#
# checkov's own dependencies clash with the project's pins, so it lives in its own venv
# (.venv-checkov/, git-ignored), built here on first use with an exact pin. A deliberate choice
# that a check flags is skipped next to the resource with `#checkov:skip=CKV_...:reason`.
set -euo pipefail

CHECKOV_VERSION="3.3.30"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CHECKOV_VENV:-$ROOT/.venv-checkov}"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.checkov-$CHECKOV_VERSION"

if [[ ! -f "$STAMP" ]]; then
  echo "checkov: installing checkov==$CHECKOV_VERSION into $VENV" >&2
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2
  touch "$STAMP"
fi

cd "$ROOT"
# Offline: do not fetch Prisma Cloud's guideline mappings (no network here, and not needed).
export BC_SKIP_MAPPING=TRUE
# Module tests (terraform test files and their fixtures) are not infrastructure anyone deploys.
exec "$VENV/bin/checkov" \
  --directory modules --directory envs \
  --framework terraform \
  --skip-path '/tests/' \
  --download-external-modules false \
  --compact --quiet \
  "$@"
