#!/usr/bin/env bash
# Soak run (issue 8, not in CI): `safetynet serve` with N HTTP checks
# (default 2,000 at a 30 s interval) for M minutes (default 30), light page
# traffic throughout, sampling RSS, goroutines and heap every minute. The
# figures should stay flat after warm-up; a steady climb is a leak.
# Usage: bash scripts/soak-serve.sh [checks] [minutes]
# Only loopback addresses are used.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
minutes=${2:-30}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/safetynet" ./cmd/safetynet
go run ./scripts/genserveconfig -n "$n" -per-component 50 -interval 30s -public -dsn "$work/soak.db" >"$work/soak.yaml"
ulimit -n 65536 2>/dev/null || true
"$work/safetynet" demo-target --listen 127.0.0.1:18081 >"$work/demo.log" 2>&1 &
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18081/health >/dev/null && break; sleep 0.2; done
"$work/safetynet" serve --config "$work/soak.yaml" --log-level warn >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/readyz >/dev/null && break; sleep 0.2; done
# A visitor a second, and a widget polling summary.json.
( while true; do curl -s -o /dev/null http://127.0.0.1:18080/; curl -s -o /dev/null http://127.0.0.1:18080/api/v2/summary.json; sleep 1; done ) &
metric() { curl -s http://127.0.0.1:18080/metrics | awk -v m="$1" '$1 == m {print $2}'; }
printf '%6s %10s %10s %12s %12s\n' minute rss_mb goroutines heap_mb results
for m in $(seq 0 "$minutes"); do
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")
  res=$(curl -s http://127.0.0.1:18080/metrics | awk '/^safetynet_check_results_total/ {s += $2} END {print s + 0}')
  printf '%6d %10s %10s %12.1f %12s\n' "$m" "$rss" "$(metric safetynet_go_goroutines)" "$(metric safetynet_go_memstats_heap_inuse_bytes | awk '{print $1 / 1048576}')" "$res"
  [ "$m" = "$minutes" ] || sleep 60
done
echo "error lines in the server log: $(grep -ci error "$work/serve.log" || true)"
