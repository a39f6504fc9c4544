#!/usr/bin/env bash
# Status page speed run (issues 6 and 8): `safetynet serve` with 1,000 HTTP
# checks running (30 public components, 30 s interval, so about 33 probes/s)
# while an incident gets a new update every 2 s through the admin API and wrk
# reads summary.json and the HTML page with 128 connections, plain and as a
# browser asks (gzip). Prints wrk's figures, the page's size plain and
# gzip-compressed, and the results written meanwhile.
# Usage: bash scripts/bench-page.sh [checks] [wrk-seconds] [interval]
#   bash scripts/bench-page.sh 10000 20 60s   # issue 8: the page while 10,000 checks run (the 60 s interval of load-serve.sh)
# Needs wrk (Debian package `wrk`). Only loopback addresses are used.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
secs=${2:-20}
interval=${3:-30s}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 3; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/safetynet" ./cmd/safetynet
go run ./scripts/genserveconfig -n "$n" -per-component $(( (n + 29) / 30 )) -interval "$interval" -public -dsn "$work/page.db" >"$work/page.yaml"
ulimit -n 65536 2>/dev/null || true

"$work/safetynet" demo-target --listen 127.0.0.1:18081 >"$work/demo.log" 2>&1 &
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18081/health >/dev/null && break; sleep 0.2; done
"$work/safetynet" serve --config "$work/page.yaml" --log-level warn >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/readyz >/dev/null && break; sleep 0.2; done
# Let every check run once so the page shows real states.
sleep $(( ${interval%s} + 5 ))
results() { curl -s http://127.0.0.1:18080/metrics | awk '/^safetynet_check_results_total/ {s += $2} END {print s + 0}'; }
echo "serve: $n checks every $interval, $(results) results so far"

plain=$(curl -s http://127.0.0.1:18080/ | wc -c)
gz=$(curl -s -H 'Accept-Encoding: gzip' http://127.0.0.1:18080/ | wc -c)
echo "page size: $plain bytes, $gz bytes gzip-compressed"

# An incident being updated all along: each update invalidates the cache.
token=$("$work/safetynet" token create --config "$work/page.yaml" --name bench --scope write)
api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
id=$(api -d '{"title":"Elevated errors","status":"investigating","impact":"minor","body":"Looking into it.","components":[{"component":"svc-0","status":"partial_outage"}]}' \
  http://127.0.0.1:18080/api/v1/incidents | sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -1)
( while true; do api -d '{"status":"identified","body":"Still on it."}' "http://127.0.0.1:18080/api/v1/incidents/$id/updates" >/dev/null && echo x; sleep 2; done ) >"$work/updates" &
updater=$!

r0=$(results)
for url in /api/v2/summary.json /; do
  for enc in identity gzip; do
    echo "--- wrk -t2 -c128 -d${secs}s --latency -H 'Accept-Encoding: $enc' http://127.0.0.1:18080$url"
    wrk -t2 -c128 -d"${secs}s" --latency -H "Accept-Encoding: $enc" "http://127.0.0.1:18080$url" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
  done
done
kill "$updater" 2>/dev/null || true
echo "incident $id got $(wc -l <"$work/updates") updates during the runs"
echo "check results written during the wrk runs: $(( $(results) - r0 ))"
curl -s http://127.0.0.1:18080/metrics | awk '/^safetynet_monitor_write_errors_total/ {we += $2} END {print "write errors: " we + 0}'
