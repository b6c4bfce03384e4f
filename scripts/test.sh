#!/usr/bin/env bash
# Runs the whole test suite and ends with "tests: N passed, N failed" from the real run.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet SDK 10 is required (https://dot.net)"; exit 1
fi
# The process tests drive the real server with redis-cli and Python's redis package.
missing=()
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
# The benchmark harness's driver tests start a real redis-server and etcd.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; } || missing+=(python3-redis)
# The chaos tests put each node in a network namespace and cut links with iptables inside it.
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing test dependencies: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "could not install ${missing[*]} (apt-get failed)"; exit 1; }
fi
log=$(mktemp)
# A test still running after 10 minutes (the longest tests, the chaos runs, take a few minutes at most) is a hang: its test host
# and the processes it started are killed and the run fails, rather than waiting for CI's own limit.
dotnet test Lattice.slnx -c Release --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
# Every test assembly that started must have ended with its summary line; one that crashed, was aborted or was
# killed has none, and its tests count as one failure rather than silently dropping out of the totals.
started=$(grep -Ec '^Test run for ' "$log")
summarized=$(grep -Ec '^(Passed|Failed)! ' "$log")
if [ "$summarized" -lt "$started" ]; then
  echo "$((started - summarized)) of $started test assemblies ended without a summary (crashed, aborted or killed)"
  failed=$((failed + started - summarized))
  [ "$status" -eq 0 ] && status=1
fi
if grep -q '\[FAIL\]' "$log"; then
  echo "failed tests:"
  grep '\[FAIL\]' "$log" | sed -E 's/^.*\] +([^ ]+) \[FAIL\].*$/  \1/' | sort -u
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
