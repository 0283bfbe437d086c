#!/usr/bin/env bash
# The main job on the embedded default: build carepool, then `carepool demo`: a fresh SQLite
# database (carepool-demo.db, in this directory) with a synthetic poverty-targeted inpatient
# programme of 20,000 families over about two years, its claims judged month by month as they
# arrived and facilities paid the month after; then the API on http://127.0.0.1:8080/api.
# Running it again starts afresh. Any flag goes to `carepool demo` (--families N, --seed S,
# --to DATE, --addr HOST:PORT, --no-serve).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p carepool-cli
exec target/release/carepool demo "$@"
