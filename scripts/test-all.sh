#!/usr/bin/env bash
# Every test after `make setup lint` (so `make test`, so CI), in two lanes at once — on two cores the browser lane
# spends most of its time waiting on pages while the Python lane keeps a core busy:
#   python:  prepare the real host (make real-host-prepare: Saleor's venv and database templates), then
#            test-python (the stand-in host), then test-saleor (the suite inside Saleor 3.23)
#   browser: test-dashboard (Vitest), test-e2e (the demo in Chromium), then, once the real host is prepared,
#            test-real-dashboard (the walk through the real Dashboard)
# Each stage's output goes to test-logs/<stage>.log and is printed whole when the stage ends (lanes do not interleave
# line by line); a failed stage stops its lane, the other lane finishes, and the run fails. The stages' times close
# the run. `make <stage>` runs any one of them alone.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
logs=$repo/test-logs
rm -rf "$logs" && mkdir -p "$logs"
# `make test` has done setup, browser and services: the stages must not redo them at once in both lanes (two pip
# installs into one venv race).
make=${MAKE:-make}
stage_make() { "$make" --no-print-directory -o python-deps -o node-deps -o dashboard -o browser -o services "$@"; }
started=$(date +%s)

run_stage() {  # run_stage <lane> <stage> <command…>: 0 when it passed
  local lane=$1 stage=$2 t0 status
  shift 2
  t0=$(date +%s)
  echo "[$lane $(date +%T)] $stage: started"
  "$@" >"$logs/$stage.log" 2>&1
  status=$?
  {
    echo "================ $stage ($lane lane): $([ $status = 0 ] && echo passed || echo "FAILED, exit $status") in $(( $(date +%s) - t0 )) s"
    cat "$logs/$stage.log"
    echo "================ end of $stage"
  } | flock "$logs/.print" cat
  echo "$stage $(( $(date +%s) - t0 )) $status" >>"$logs/times"
  return $status
}

python_lane() {
  run_stage python real-host-prepare stage_make real-host-prepare || { touch "$logs/.prepare-failed" "$logs/.prepared"; return 1; }
  touch "$logs/.prepared"
  run_stage python test-python stage_make test-python || return 1
  run_stage python test-saleor stage_make test-saleor
}

browser_lane() {
  run_stage browser test-dashboard stage_make test-dashboard || return 1
  run_stage browser test-e2e stage_make test-e2e || return 1
  while [ ! -e "$logs/.prepared" ]; do sleep 2; done
  [ ! -e "$logs/.prepare-failed" ] || { echo "[browser] test-real-dashboard: not run, preparing the real host failed"; return 1; }
  run_stage browser test-real-dashboard stage_make test-real-dashboard
}

python_lane & python_pid=$!
browser_lane & browser_pid=$!
wait $python_pid; python_status=$?
wait $browser_pid; browser_status=$?

echo
echo "Stage times (s; the lanes ran at once, total $(( $(date +%s) - started )) s):"
sort -k1,1 "$logs/times" | while read -r stage seconds status; do
  printf '  %-22s %5s s  %s\n' "$stage" "$seconds" "$([ "$status" = 0 ] && echo passed || echo "FAILED ($status)")"
done
if [ $python_status != 0 ] || [ $browser_status != 0 ]; then
  echo "FAILED: $(awk '$3 != 0 {print $1}' "$logs/times" | tr '\n' ' ')(logs in test-logs/)"
  exit 1
fi
echo "All stages passed."
