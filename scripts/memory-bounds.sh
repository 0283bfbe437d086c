#!/usr/bin/env bash
# Does a command's peak memory grow with its input? (issue 31, docs/BENCHMARKS.md)
# Builds the example mutual's synthetic scheme at FAMILIES and at ten times as many, runs each
# step of a scheme's life on both as a process of its own, and compares their peak resident
# memory (/usr/bin/time's maximum RSS). A step is bounded when ten times the input costs at
# most half as much memory again plus SLACK_MB (192 by default: SQLite's page caches, 16 MiB for
# each of the pool's six connections and a snapshot's, fill as the database grows); the script
# fails, naming the steps, otherwise. Run by hand (a few minutes), not in CI; figures in
# docs/BENCHMARKS.md.
#   scripts/memory-bounds.sh                 # 10,000 and 100,000 families
#   FAMILIES=30000 scripts/memory-bounds.sh  # 30,000 and 300,000
# On SQLite files in a temporary directory; CAREPOOL_BIN names the build (target/release/carepool).
set -euo pipefail
bin=${CAREPOOL_BIN:-target/release/carepool}
families=${FAMILIES:-10000}
slack_mb=${SLACK_MB:-192}
scheme=examples/mutual/scheme.toml
settings=examples/mutual/synth.toml
from=2025-01-01
to=2026-06-30  # the run proposed is this month's: every claim decided on this day
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Peak resident memory in MB of one command, its output kept in $dir/last.log.
peak_mb() {
    /usr/bin/time -f '%M' -o "$dir/peak" "$@" > "$dir/last.log" 2>&1 || {
        cat "$dir/last.log" >&2
        echo "failed: $*" >&2
        exit 1
    }
    echo $(($(tail -1 "$dir/peak") / 1024))
}

steps=(registry receive adjudicate propose release export experience reserve indicators)
declare -A peak
run_size() {
    local size=$1 count=$2
    local db="sqlite://$dir/$size.db" files="$dir/$size"
    "$bin" synth --scheme "$scheme" --settings "$settings" --families "$count" \
        --from "$from" --to "$to" --seed 7 \
        --out "$files" > /dev/null
    local claims
    claims=$(($(wc -l < "$files/claims.csv") - 1))
    echo "$size: $count families, $claims claims" >&2
    "$bin" --db "$db" init --scheme "$scheme" > /dev/null
    local registry=0 kind
    for kind in locations providers families members coverage contributions; do
        local mb
        mb=$(peak_mb "$bin" --db "$db" import "$kind" "$files/$kind.csv")
        ((mb > registry)) && registry=$mb
    done
    peak[$size,registry]=$registry
    peak[$size,receive]=$(peak_mb "$bin" --db "$db" claims import "$files/claims.csv" \
        --lines "$files/claim_lines.csv")
    peak[$size,adjudicate]=$(peak_mb "$bin" --db "$db" claims adjudicate --date "$to")
    peak[$size,propose]=$(peak_mb "$bin" --db "$db" claims pay --period 2026-06)
    local run
    run=$(grep -o "payment run 2026-06/[0-9]*" "$dir/last.log" | cut -d" " -f3)
    peak[$size,release]=$(peak_mb "$bin" --db "$db" claims pay --release "$run" \
        --date 2026-07-01)
    peak[$size,export]=$(peak_mb "$bin" --db "$db" export claims --out "$dir/$size-claims.csv")
    peak[$size,experience]=$(peak_mb "$bin" --db "$db" experience --from "$from" --to "$to" \
        --out "$dir/$size-experience.json")
    peak[$size,reserve]=$(peak_mb "$bin" --db "$db" reserve --valuation "$to" \
        --out "$dir/$size-reserve.json")
    peak[$size,indicators]=$(peak_mb "$bin" --db "$db" indicators --from "$from" --to "$to" \
        --out "$dir/$size-indicators.json")
}

run_size small "$families"
run_size large $((families * 10))

printf '%-12s %10s %10s  %s\n' step "1x (MB)" "10x (MB)" verdict
grown=()
for step in "${steps[@]}"; do
    small=${peak[small,$step]} large=${peak[large,$step]}
    if ((large * 2 <= small * 3 + slack_mb * 2)); then
        verdict=bounded
    else
        verdict="GROWS"
        grown+=("$step")
    fi
    printf '%-12s %10d %10d  %s\n' "$step" "$small" "$large" "$verdict"
done
if ((${#grown[@]} > 0)); then
    echo "memory grows with the input: ${grown[*]}" >&2
    exit 1
fi
