#!/usr/bin/env bash
# Load run for `safetynet serve`: N HTTP checks (default 10,000) at a 60 s
# interval against a demo target in another process, each check on a new
# connection. Reports when every check has run, scheduler lateness (from
# /metrics), average CPU of the server over a measuring window after warm-up
# (from /proc), its peak RSS, and whether the store keeps up.
# Usage: bash scripts/load-serve.sh [checks] [measure-seconds]
# Only loopback addresses are used.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
measure=${2:-300}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true' EXIT
go build -o "$work/safetynet" ./cmd/safetynet
go run ./scripts/genserveconfig -n "$n" -dsn "$work/load.db" >"$work/load.yaml"
ulimit -n 65536 2>/dev/null || true

"$work/safetynet" demo-target --listen 127.0.0.1:18081 >"$work/demo.log" 2>&1 &
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18081/health >/dev/null && break; sleep 0.2; done

start=$(date +%s)
"$work/safetynet" serve --config "$work/load.yaml" --log-level warn >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/readyz >/dev/null && break; sleep 0.2; done
echo "serve ready after $(( $(date +%s) - start )) s (pid $pid, $n checks)"

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
results() { curl -s http://127.0.0.1:18080/metrics | awk '/^safetynet_check_results_total/ {s += $2} END {print s + 0}'; }

# Every check must have run once within one interval of start.
sleep 62
ran=$(results)
echo "results after one interval (62 s): $ran of $n checks"

# Warm-up done: measure CPU over the window.
t0=$(date +%s.%N); c0=$(ticks); r0=$(results)
sleep "$measure"
t1=$(date +%s.%N); c1=$(ticks); r1=$(results)
hz=$(getconf CLK_TCK)
cpu=$(echo "scale=2; 100 * ($c1 - $c0) / $hz / ($t1 - $t0)" | bc)
rate=$(echo "scale=1; ($r1 - $r0) / ($t1 - $t0)" | bc)
echo "average CPU over ${measure}s: ${cpu}% of one core; ${rate} results/s (expected $(echo "scale=1; $n / 60" | bc))"
echo "RSS now $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status), peak $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$pid/status)"
curl -s http://127.0.0.1:18080/metrics | awk '
  /^safetynet_scheduler_lag_seconds_bucket\{le="1"\}/ {b1 = $2}
  /^safetynet_scheduler_lag_seconds_count/ {n = $2}
  /^safetynet_monitor_write_errors_total/ {we += $2}
  END {printf "scheduler lag: %.2f%% of %d runs started within 1 s of their due time; write errors: %d\n", 100 * b1 / n, n, we}'
failed=$(curl -s http://127.0.0.1:18080/metrics | awk '/^safetynet_check_results_total.*outcome="failed"/ {s += $2} END {print s + 0}')
echo "failed check runs: $failed"
grep -ci "error" "$work/serve.log" | xargs echo "error lines in the server log:"
