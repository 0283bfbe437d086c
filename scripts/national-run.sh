#!/usr/bin/env bash
# A national run, recorded (issue 31, item 6; figures in docs/BENCHMARKS.md): a synthetic
# scheme of about 20 million members in 3.2 million families and 10 million claims over three
# years goes through a scheme's life on PostgreSQL or SQLite, each step a process of its own:
# registry import, claims receipt, adjudication, a payment run proposed and released, the
# experience study, reserving, the indicators, the benchmarking of facilities, and exports of the
# largest tables. Each step's time, peak resident memory and the database's size after it go to
# WORKDIR/national-run.md as the step ends, so a run stopped half way keeps what it measured.
# Run by hand (hours), not in CI.
#   DATABASE_URL=postgres://USER@localhost/DB?host=/SOCKET/DIR&port=PORT scripts/national-run.sh WORKDIR
#   DATABASE_URL=sqlite:///big/disk/national.db scripts/national-run.sh WORKDIR
#   FAMILIES=32000 DATABASE_URL=... scripts/national-run.sh /tmp/small   # a hundredth, to try it
# DATABASE_URL names an empty PostgreSQL database, or a SQLite file not made yet; CAREPOOL_BIN the
# build (target/release/carepool).
# The scheme is the example mutual's (examples/mutual), opened on FROM, with the national
# settings of scripts/national/synth.toml.
set -euo pipefail
bin=${CAREPOOL_BIN:-target/release/carepool}
db=${DATABASE_URL:?DATABASE_URL must name an empty PostgreSQL database or a new SQLite file}
work=${1:?usage: scripts/national-run.sh WORKDIR}
families=${FAMILIES:-3200000}
from=${FROM:-2023-12-01}
to=${TO:-2026-11-30}
seed=${SEED:-31}
# The last month of the run is the one paid; its year, for the benchmarking of facilities.
period=${to:0:7}
year_before=$(date -d "$to - 1 year + 1 day" +%F)
files=$work/files
report=$work/national-run.md
mkdir -p "$work"

sqlite_file=
if [[ $db == sqlite:* ]]; then
    sqlite_file=${db#sqlite:}
    sqlite_file=${sqlite_file#//}
    sqlite_file=${sqlite_file%%\?*}
fi
tools=(/usr/bin/time)
if [[ -n $sqlite_file ]]; then tools+=(python3); else tools+=(psql); fi
for tool in "${tools[@]}"; do
    command -v "$tool" > /dev/null || { echo "the run needs $tool" >&2; exit 1; }
done
# One value from the database: SQLite's file is read with Python's own sqlite3 module.
sql() {
    if [[ -n $sqlite_file ]]; then
        python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
            "$sqlite_file" "$1"
    else
        psql -X -A -t -q -d "$db" -c "$1"
    fi
}
# The database's size on disk, its log included.
database_size() {
    if [[ -n $sqlite_file ]]; then
        # None before the first step that writes.
        local files=()
        for file in "$sqlite_file" "$sqlite_file-wal" "$sqlite_file-shm"; do
            [[ -e $file ]] && files+=("$file")
        done
        if ((${#files[@]})); then
            du -ch "${files[@]}" | tail -1 | cut -f1
        fi
    else
        sql "SELECT pg_size_pretty(pg_database_size(current_database()))"
    fi
}

if [[ -n $sqlite_file ]]; then
    if [[ -e $sqlite_file ]]; then
        echo "$sqlite_file already exists: the run wants a new database" >&2
        exit 1
    fi
elif [[ -n $(sql "SELECT 1 FROM pg_tables WHERE schemaname = 'public' LIMIT 1") ]]; then
    echo "$db already holds tables: the run wants an empty database" >&2
    exit 1
fi

# The example mutual's scheme, opened on FROM, beside its tariff.
sed "s/^effective_from = .*/effective_from = $from/" examples/mutual/scheme.toml > "$work/scheme.toml"
cp examples/mutual/tariff.csv "$work/"

{
    echo "# National run, $(date -u '+%F %H:%M') UTC"
    echo
    echo "$families families, $from to $to, seed $seed; $($bin --version)"
    if [[ -n $sqlite_file ]]; then
        echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;" \
            "SQLite (carepool's own: write-ahead log, synchronous NORMAL) at $sqlite_file"
    else
        echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;" \
            "$(sql 'SELECT version()' | cut -d, -f1)"
        echo "Settings: $(sql "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
            FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes',
            'shared_buffers', 'max_wal_size', 'wal_level')")"
    fi
    echo
    echo "| step | wall | peak memory | database after |"
    echo "|---|---|---|---|"
} > "$report"

# Runs one step as a process of its own and adds its line to the report.
step() {
    local name=$1
    shift
    echo "$(date -u +%T) $name" >&2
    if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/$name.log" 2>&1; then
        tail -5 "$work/$name.log" >&2
        echo "| $name | failed: see $name.log | | |" >> "$report"
        exit 1
    fi
    local seconds peak_kb size
    read -r seconds peak_kb < <(tail -1 "$work/time")
    size=$(database_size)
    printf '| %s | %s s | %d MB | %s |\n' "$name" "$seconds" $((peak_kb / 1024)) "$size" >> "$report"
}

step generate "$bin" synth --scheme "$work/scheme.toml" --settings scripts/national/synth.toml \
    --families "$families" --from "$from" --to "$to" --seed "$seed" --out "$files"
step init "$bin" --db "$db" init --scheme "$work/scheme.toml"
for kind in locations providers families members coverage contributions; do
    step "import $kind" "$bin" --db "$db" import "$kind" "$files/$kind.csv"
done
step "receive claims" "$bin" --db "$db" claims import "$files/claims.csv" \
    --lines "$files/claim_lines.csv"
step adjudicate "$bin" --db "$db" claims adjudicate --date "$to"
step "propose payment run" "$bin" --db "$db" claims pay --period "$period"
step "release payment run" "$bin" --db "$db" claims pay --release "$period/1"
step "experience study" "$bin" --db "$db" experience --from "$from" --to "$to" \
    --out "$work/experience.json"
step reserve "$bin" --db "$db" reserve --valuation "$to" --out "$work/reserve.json"
step indicators "$bin" --db "$db" indicators --from "$from" --to "$to" \
    --out "$work/indicators.json"
step "benchmark facilities" "$bin" --db "$db" providers benchmark --from "$year_before" \
    --to "$to" --out "$work/benchmark.json"
# The largest tables exported; each file removed once measured (gigabytes each).
rm -f "$work/exports.txt"
for kind in members coverage claims claim_lines; do
    step "export $kind" "$bin" --db "$db" export "$kind" --out "$work/$kind.csv"
    echo "- the export of $kind: $(du -h "$work/$kind.csv" | cut -f1)" >> "$work/exports.txt"
    rm "$work/$kind.csv"
done

{
    echo
    cat "$work/exports.txt"
    for table in families members coverage contributions claims claim_lines claim_reasons payments; do
        if [[ -n $sqlite_file ]]; then
            echo "- $table: $(sql "SELECT count(*) FROM $table") rows"
        else
            echo "- $table: $(sql "SELECT count(*) FROM $table") rows," \
                "$(sql "SELECT pg_size_pretty(pg_total_relation_size('$table'))")"
        fi
    done
} >> "$report"
cat "$report"
