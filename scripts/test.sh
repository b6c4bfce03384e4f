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
dotnet test Lattice.slnx -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if grep -q '\[FAIL\]' "$log"; then
  echo "failed tests:"
  grep '\[FAIL\]' "$log" | sed -E 's/^.*\] +([^ ]+) \[FAIL\].*$/  \1/' | sort -u
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
