#!/usr/bin/env bash
# YCSB comparison of Lattice (3 nodes), redis-server (AOF, fsync always) and etcd (3 members) on loopback, in one
# run: `lattice bench compare` does the work; this wrapper installs the servers when missing, builds Lattice, and
# stops every process the run started (by pid, from its pid file) even if the run itself is killed.
# Options go to `lattice bench compare` (see --help); default: workloads A,B,C,F at 1, 16 and 64 clients, 30 s each,
# report in docs/benchmarks-ycsb.md with SVG plots beside it, JSON in bench/results-ycsb.json.
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "could not install ${missing[*]} (apt-get failed)"; exit 1; }
fi
# Debian's etcd package starts a system etcd on 2379; the comparison uses its own ports and does not touch it.

artifacts="${LATTICE_BENCH_ARTIFACTS:-$PWD/artifacts}"
dotnet build src/Lattice.Cli/Lattice.Cli.csproj -c Release --artifacts-path "$artifacts" -v q -nologo >/dev/null \
  || { echo "build failed: dotnet build src/Lattice.Cli -c Release"; exit 1; }
lattice_dll="$artifacts/bin/Lattice.Cli/release/lattice.dll"

pid_file=$(mktemp)
run_pid=""
cleanup() {
  [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null
  while read -r pid; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done <"$pid_file"
  rm -f "$pid_file"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dotnet "$lattice_dll" bench compare --pid-file "$pid_file" "$@" &
run_pid=$!
wait "$run_pid"
status=$?
run_pid=""
exit "$status"
