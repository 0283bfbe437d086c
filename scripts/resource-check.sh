#!/usr/bin/env bash
# The server's memory before and after studies at and past their bounds (docs/HARDENING.md):
# builds a demo scheme, serves it, asks for each study at its bound and just past it, and prints
# the server's resident memory (VmRSS) and its peak (VmHWM) after each request.
#   scripts/resource-check.sh            # 5,000 families; FAMILIES=20000 for more
set -euo pipefail
bin=${CAREPOOL_BIN:-target/release/carepool}
families=${FAMILIES:-5000}
port=${PORT:-18099}
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT

"$bin" demo --families "$families" --no-serve --file "$dir/demo.db" > "$dir/demo.txt"
token=$(awk '$1 == "actuary" { print $3 }' "$dir/demo.txt")
"$bin" --db "sqlite://$dir/demo.db" serve --addr "127.0.0.1:$port" 2> "$dir/serve.log" &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/health" > /dev/null && break; sleep 0.2; done

memory() { awk '/VmRSS|VmHWM/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$server/status"; }
ask() {
    local label=$1 path=$2 body=$3
    local status
    status=$(curl -s -o "$dir/answer.json" -w '%{http_code}' -X POST \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        --data-binary "$body" "http://127.0.0.1:$port$path")
    # A body given as @FILE is read from the file.
    printf '%-60s %s  %s %s KB\n' "$label" "$status" "$(memory)" "$(( $(stat -c %s "$dir/answer.json") / 1024 ))"
}

bands() { seq -s, 0 "$1" | sed 's/^/[/; s/$/]/'; }
years() {
    printf '{"base":{"date":"2026-04-01","lines":[{"name":"care","incidence_per_1000":100,"average_cost":1000}]},"projection":{"start":"2026-10-01","years":%s},"population":{"members":[1000],"family_size":[5]},"loadings":{"expenses":[0.2]}}' "$1"
}
horizon() {
    printf '{"horizon":{"first_year":2027,"years":%s},"coverage":{"start":0.5,"target":1,"target_year":6},"population":[{"cell":"all","people":[1000]}],"benefits":[{"name":"care","cost_per_capita":10}],"economy":{"gdp":100000,"real_growth":[0],"inflation":[0],"government_share":[0.2]},"revenue":{"amounts":[4000]}}' "$1"
}

printf '%-60s %s  %s\n' "served, before any study" "---" "$(memory)"
ask "reserve by month, valued today" /api/reserve '{"origin":"month"}'
ask "reserve by month to 9999 (past: valuation)" /api/reserve '{"origin":"month","valuation":"9999-12-31"}'
ask "experience 1939-2026 by month, 20 age bands (~the bound)" /api/experience \
    "{\"from\":\"1939-01-01\",\"to\":\"2026-11-30\",\"split\":\"month\",\"age_bands\":$(bands 19)}"
ask "experience 1900-2200 by month, 100 bands (past)" /api/experience \
    "{\"from\":\"1900-01-01\",\"to\":\"2200-12-31\",\"split\":\"month\",\"age_bands\":$(bands 99),\"duration_bands\":$(bands 99)}"
ask "experience 0001-9999 by month (past: from)" /api/experience \
    '{"from":"0001-01-01","to":"9999-12-31","split":"month"}'
ask "projection of 200 years (the bound)" /api/project "$(years 200)"
ask "projection of 100,000,000 years (past)" /api/project "$(years 100000000)"
ask "costing of 200 years (the bound)" /api/costing "$(horizon 200)"
ask "costing of 100,000,000 years (past)" /api/costing "$(horizon 100000000)"
head -c 3145728 /dev/zero | tr '\0' ' ' > "$dir/large.json"
ask "a body of 3 MiB (past: 2 MiB)" /api/project "@$dir/large.json"
for wait in 1 10; do
    sleep "$wait"
    printf '%-60s %s  %s\n' "then $wait s more" "---" "$(memory)"
done
