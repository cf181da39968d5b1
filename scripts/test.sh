#!/usr/bin/env bash
# Install Pulso with its test dependencies into .venv, then run the checks:
# ruff, mypy, the migrations check, the layers check and pytest on SQLite — and pytest again on
# PostgreSQL when DATABASE_URL points at one (pytest-django creates a fresh test database there),
# without the browser tests, which depend on no database.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[test]"  # pinned versions

PULSO_DATA_DIR="${PULSO_DATA_DIR:-$(mktemp -d -t pulso-test-XXXXXX)}"
export PULSO_DATA_DIR

echo "== ruff"
.venv/bin/ruff check src tests bench scripts
.venv/bin/ruff format --check src tests bench scripts
echo "== mypy"
.venv/bin/mypy
echo "== migrations"
env -u DATABASE_URL .venv/bin/pulso makemigrations --check --dry-run
echo "== layers"
.venv/bin/python scripts/check_layers.py
echo "== pytest (SQLite)"
env -u DATABASE_URL .venv/bin/python -m pytest -p no:cacheprovider "$@"
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*)
    # The browser tests drive the pages through Chromium and check no database behaviour of
    # their own (about 3.5 minutes): they run on SQLite above, not again here.
    echo "== pytest (PostgreSQL, browser tests on SQLite only)"
    .venv/bin/python -m pytest -p no:cacheprovider --create-db -m "not browser" "$@"
    ;;
  *)
    echo "== pytest (PostgreSQL) skipped: DATABASE_URL does not point at PostgreSQL"
    ;;
esac
