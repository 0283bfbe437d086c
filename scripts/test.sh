#!/usr/bin/env bash
# The whole test suite: unit tests, and the shared tests on SQLite and on PostgreSQL, then the
# browser stories. PostgreSQL tests use DATABASE_URL when it is set, else start a throwaway cluster
# (initdb + pg_ctl in a temp dir); they never skip. The browser stories drive Debian's chromium
# with Playwright for Python (tests/browser/requirements.txt) against a fresh server, and leave
# their screenshots in target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked "$@"
if ! python3 -c "import playwright, pytest" 2>/dev/null; then
  echo "the browser stories need Playwright for Python and pytest: python3 -m pip install -r tests/browser/requirements.txt (and Debian's chromium)" >&2
  exit 1
fi
# The server under test is the binary cargo test built.
CAREPOOL_BIN="${CARGO_TARGET_DIR:-target}/debug/carepool" python3 -m pytest tests/browser -q -p no:cacheprovider
