#!/usr/bin/env bash
# The main job on the embedded default: build carepool, load the three example schemes and the
# example mutual's registry into sqlite://carepool.db (in this directory), and serve the API on
# http://127.0.0.1:8080/api. Running it again changes nothing and serves again.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p carepool-cli
carepool=target/release/carepool
for scheme in examples/pip-inpatient.toml examples/national-health-insurance.toml examples/mutual/scheme.toml; do
  "$carepool" init --scheme "$scheme"
done
for kind in locations providers families members coverage contributions; do
  "$carepool" import "$kind" "examples/mutual/$kind.csv"
done
# The mutual's claims: received (again: unchanged) and judged; decisions are kept.
"$carepool" claims import examples/mutual/claims.csv --lines examples/mutual/claim_lines.csv
"$carepool" claims adjudicate
echo "Try: curl http://127.0.0.1:8080/api/families/F0003/overview"
echo "     curl http://127.0.0.1:8080/api/claims/CHR-HD/H-0001   (or: $carepool claims show CHR-HD/H-0001)"
exec "$carepool" serve "$@"
