#!/bin/sh
# The experience study on the same extracts, carepool against pandas (with pyarrow) and polars:
# the numbers checked equal month by month first, then each timed as a whole process.
#
#     PYTHON=/path/to/venv/bin/python scripts/reference/compare.sh [MEMBERS] [DIR]
#
# PYTHON must have pandas, pyarrow and polars (see README.md here); times are GNU time's
# (/usr/bin/time, Debian's `time` package). MEMBERS defaults to
# 1000000; the extracts are made in DIR (default /tmp/carepool-extracts-MEMBERS) once and kept.
set -eu
members=${1:-1000000}
dir=${2:-/tmp/carepool-extracts-$members}
python=${PYTHON:-python3}
here=$(dirname "$0")
# Three years from the example scheme's first day, as the benchmark generates them.
from=2025-04-01
to=2028-03-31

echo "carepool's benchmark, making the extracts if $dir lacks them (its read and study times):"
cargo bench -q -p carepool-cli --bench experience_study -- --members "$members" --extracts "$dir" |
    grep -v '^$'
cargo build --release -q -p carepool-cli
echo "pyarrow reading the same files:"
"$python" "$here/read_extracts.py" "$dir"
echo "whole processes, end to end:"
/usr/bin/time -f "carepool: %e s, %M KB at most" "${CARGO_TARGET_DIR:-target}/release/carepool" experience \
    --members "$dir/members.csv" --coverage "$dir/coverage.csv" \
    --claims "$dir/claims_extract.csv" --families "$dir/families.csv" \
    --locations "$dir/locations.csv" --providers "$dir/providers.csv" \
    --from "$from" --to "$to" --split month --out "$dir/study.json" > /dev/null
for engine in polars pandas; do
    /usr/bin/time -f "$engine: %e s, %M KB at most" "$python" "$here/experience_periods.py" \
        --engine "$engine" --dir "$dir" --from "$from" --to "$to" --check "$dir/study.json"
done
