#!/usr/bin/env bash
# The socket layer's own cost, without Lattice's engine or log: redis-benchmark SET (50 clients, -P 1 and -P 16)
# against servers that only parse each request and answer +OK — a plain epoll loop (1 and 2 threads; 1 thread also
# polling before it sleeps, as the node's loop does) and Kestrel
# set up as the Lattice node sets it up — next to redis-server and the Lattice node doing real SETs.
# Knobs: FLOOR_REPEAT (3), FLOOR_REQUESTS_P1 (400000), FLOOR_REQUESTS_P16 (3000000). Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${FLOOR_REPEAT:-3}
n1=${FLOOR_REQUESTS_P1:-400000}
n16=${FLOOR_REQUESTS_P16:-3000000}
command -v redis-benchmark >/dev/null && command -v redis-server >/dev/null || { echo "needs redis-server and redis-benchmark (apt-get install redis-server redis-tools)" >&2; exit 1; }
dotnet build bench/SocketFloor -c Release -nologo -v quiet >/dev/null
./lattice --help >/dev/null   # builds the node on first use
floor_dll="$PWD/artifacts/bin/SocketFloor/release/SocketFloor.dll"
work=$(mktemp -d)
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# Median requests/s of $repeat runs.
measure() {
  local pipeline=$1 requests=$2
  for _ in $(seq 1 "$repeat"); do
    redis-benchmark -p "$port" -t set -c 50 -r 100000 -P "$pipeline" -n "$requests" --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2
  done | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'
}

run() {
  local label=$1; shift
  "$@" >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do redis-cli -p "$port" PING >/dev/null 2>&1 && break; sleep 0.1; done
  redis-benchmark -p "$port" -t set -c 50 -r 100000 -n 100000 -q >/dev/null 2>&1   # warm-up (JIT tiers)
  printf '| %s | %s | %s |\n' "$label" "$(measure 1 "$n1")" "$(measure 16 "$n16")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

echo "Commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); median of $repeat runs."
echo
echo "| Server | SET -P 1 ops/s | SET -P 16 ops/s |"
echo "|---|---:|---:|"
run "epoll loop, 1 thread, +OK only" dotnet "$floor_dll" epoll "$port" 1
run "epoll loop, 1 thread, polls 256 times before it sleeps, +OK only" dotnet "$floor_dll" epoll "$port" 1 256
run "epoll loop, 2 threads, +OK only" dotnet "$floor_dll" epoll "$port" 2
run "Kestrel (as client-transport kestrel uses it), +OK only" dotnet "$floor_dll" kestrel "$port"
run "redis-server, real SETs, no persistence" redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no --daemonize no
run "redis-server, real SETs, appendfsync no (as in redis-compare.sh)" redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly yes --appendfsync no --daemonize no
run "Lattice node, real SETs, appendfsync no" ./lattice server --port "$port" --data-dir "$work/lattice" --appendfsync no
