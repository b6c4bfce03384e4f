#!/usr/bin/env bash
# redis-benchmark SET and GET against a 3-node Lattice cluster (through the leader and through a follower) next to
# one redis-server with appendonly yes / appendfsync always, in the same run, on loopback. Every write is fsynced
# before it is acknowledged on both (Lattice: on a majority of the three nodes). Writes docs/benchmarks-cluster.md.
# Knobs: BENCH_REQUESTS (default 200000), BENCH_CLIENTS (64), BENCH_REPEAT (3), BENCH_OUT (docs/benchmarks-cluster.md),
# LATTICE_CONFIG (a settings file every node reads, for experiments).
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${BENCH_REQUESTS:-200000}
clients=${BENCH_CLIENTS:-64}
repeat=${BENCH_REPEAT:-3}
out=${BENCH_OUT:-docs/benchmarks-cluster.md}

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dotnet build src/Lattice.Cli -c Release -v q -nologo >/dev/null
lattice_dll="$PWD/artifacts/bin/Lattice.Cli/release/lattice.dll"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Seven distinct free ports, all bound at once so none is handed out twice.
read -r -a free <<<"$(python3 -c 'import socket
ss = [socket.socket() for _ in range(7)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')"
ports=("${free[0]}" "${free[1]}" "${free[2]}"); peers=("${free[3]}" "${free[4]}" "${free[5]}"); members=()
for i in 1 2 3; do
  members+=("$i=127.0.0.1:${ports[$((i-1))]}@${peers[$((i-1))]}")
done
initial=$(IFS=,; echo "${members[*]}")
for i in 1 2 3; do
  dotnet "$lattice_dll" server --node-id "$i" --initial-cluster "$initial" --data-dir "$work/node$i" \
    ${LATTICE_CONFIG:+--config "$LATTICE_CONFIG"} >"$work/node$i.log" 2>&1 &
  pids+=($!)
done
redis_port=${free[6]}
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --save "" --appendonly yes --appendfsync always \
  --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)

leader=""
for _ in $(seq 1 300); do
  leader=$(redis-cli -p "${ports[0]}" INFO replication 2>/dev/null | tr -d '\r' | sed -n 's/^raft_leader_id://p' || true)
  if [ -n "$leader" ] && [ "$leader" != "0" ] && redis-cli -p "$redis_port" PING >/dev/null 2>&1; then break; fi
  sleep 0.1
done
[ -n "$leader" ] && [ "$leader" != "0" ] || { echo "the cluster elected no leader"; exit 1; }
leader_port=${ports[$((leader-1))]}
follower=$(( leader % 3 + 1 ))
follower_port=${ports[$((follower-1))]}

# Median requests/s and p50 of $repeat runs: prints "rps p50".
measure() {
  local port=$1 test=$2
  for _ in $(seq 1 "$repeat"); do
    redis-benchmark -p "$port" -t "$test" -n "$requests" -c "$clients" -r 100000 -d 100 --csv 2>/dev/null \
      | tail -1 | tr -d '"' | awk -F, '{print $2, $5}'
  done | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'
}

{
  echo "# Lattice cluster vs redis-server (appendfsync always)"
  echo
  echo "Command: \`./bench/cluster-redis.sh\` (BENCH_REQUESTS=$requests BENCH_CLIENTS=$clients BENCH_REPEAT=$repeat);"
  echo "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "Lattice: 3 \`lattice server\` processes (RF 3, every write fsynced on a majority before the reply);"
  echo "Redis: one \`redis-server --appendonly yes --appendfsync always\`. redis-benchmark: \`-c $clients -r 100000 -d 100 -n $requests\`,"
  echo "median of $repeat runs; everything on this machine's loopback, sharing its cores."
  echo
  echo "| Test | Redis ops/s | Lattice via leader ops/s | ratio | Lattice via follower ops/s | ratio | p50 ms Redis / leader / follower |"
  echo "|---|---:|---:|---:|---:|---:|---|"
} >"$out.tmp"
for test in set get; do
  read -r r_rps r_p50 <<<"$(measure "$redis_port" "$test")"
  read -r l_rps l_p50 <<<"$(measure "$leader_port" "$test")"
  read -r f_rps f_p50 <<<"$(measure "$follower_port" "$test")"
  ratio_l=$(awk -v a="$l_rps" -v b="$r_rps" 'BEGIN {printf "%.2f", a / b}')
  ratio_f=$(awk -v a="$f_rps" -v b="$r_rps" 'BEGIN {printf "%.2f", a / b}')
  echo "| ${test^^} | $r_rps | $l_rps | $ratio_l | $f_rps | $ratio_f | $r_p50 / $l_p50 / $f_p50 |" >>"$out.tmp"
  echo "${test^^}: redis $r_rps, lattice leader $l_rps ($ratio_l), follower $f_rps ($ratio_f)"
done
echo >>"$out.tmp"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg). Target (issue: cluster): SET through the cluster >= 0.5x Redis." >>"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
