#!/usr/bin/env bash
# The whole suite: the import contracts, SQLite, then PostgreSQL when DATABASE_URL names one, then the
# browser tests. Under CI=true a missing PostgreSQL or chromium is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/python -m pytest "$@")
CI=${CI:-false}
status=0

run() {  # run LABEL ENV... -- PYTEST ARGS: pytest's exit 5 (no test ran) is a failure too
  local label=$1; shift
  echo; echo "=== $label"
  env "$@"
  local code=$?
  if [ $code -ne 0 ]; then
    [ $code -eq 5 ] && echo "!!! $label: no test ran"
    echo "!!! $label failed (exit $code)"
    status=1
  fi
}

is_postgres() { [[ "${DATABASE_URL:-}" == postgres://* || "${DATABASE_URL:-}" == postgresql://* ]]; }

if [ "$CI" = "true" ] && ! is_postgres; then
  echo "!!! CI=true needs DATABASE_URL naming PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/quartiers)"
  exit 1
fi

# The apps' dependency direction (pyproject.toml, [tool.importlinter]): no app imports one above it.
run "import contracts (import-linter)" .venv/bin/lint-imports --no-cache

run "unit and integration tests on SQLite" DATABASE_URL= "${PYTEST[@]}" -m "not browser" -n 2 -q

if is_postgres; then
  run "unit and integration tests on PostgreSQL" DATABASE_URL="$DATABASE_URL" "${PYTEST[@]}" -m "not browser and not own_database" -n 2 -q
else
  echo; echo "=== PostgreSQL: skipped (DATABASE_URL does not name PostgreSQL)"
fi

run "browser tests (chromium, axe-core)" DATABASE_URL="${DATABASE_URL:-}" "${PYTEST[@]}" -m browser -n 2 -q

exit $status
