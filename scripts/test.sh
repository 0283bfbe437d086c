#!/usr/bin/env bash
# The whole test suite: unit tests, and the shared tests on SQLite and on PostgreSQL. PostgreSQL
# tests use DATABASE_URL when it is set, else start a throwaway cluster (initdb + pg_ctl in a
# temp dir); they never skip.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test --workspace --locked "$@"
