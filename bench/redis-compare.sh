#!/usr/bin/env bash
# Lattice vs Redis, side by side on loopback: redis-benchmark throughput (SET GET INCR LPUSH HSET MSET,
# 50 clients, unpipelined and -P 16) under appendfsync always and no, then memory per key after loading
# 1,000,000 keys with 100-byte values. Unpipelined rows also run against a server that does no work (it answers
# every request +OK), the most any server can get out of this load generator on this machine.
# Writes docs/benchmarks.md. See bench/README.md for the knobs.
set -euo pipefail
# Decimal points in $EPOCHREALTIME and awk figures, whatever the caller's locale.
export LC_NUMERIC=C

usage() {
  sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'

usage: ./bench/redis-compare.sh            (environment knobs are listed in bench/README.md)
  LATTICE="dotnet /path/lattice.dll"  BENCH_REPEAT=5  BENCH_REQUESTS=N  BENCH_SECONDS=3
  BENCH_MODES="always no"  BENCH_PIPELINES="1 16"  BENCH_TESTS=set,get,incr,lpush,hset,mset
  BENCH_MEMORY_KEYS=1000000  BENCH_OUT=docs/benchmarks.md  BENCH_KEEP=1  BENCH_FLOOR_PIPELINES=1
EOF
}
case "${1:-}" in
  -h|--help|help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=/usr/bin/python3
helper="$repo/bench/redis_compare.py"
start_epoch=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the command as invoked: every knob that was set explicitly, then the script -----------------------
knobs=(LATTICE BENCH_LATTICE_COMMIT BENCH_REPEAT BENCH_REQUESTS BENCH_SECONDS BENCH_MODES BENCH_PIPELINES BENCH_TESTS BENCH_CLIENTS
       BENCH_KEYSPACE BENCH_MEMORY_KEYS BENCH_VALUE_SIZE BENCH_OUT BENCH_TMPDIR BENCH_READY_TIMEOUT
       BENCH_RUN_TIMEOUT BENCH_KEEP BENCH_FLOOR_PIPELINES)
shq() {
  if [[ $1 =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/\'\\\'\'}"; fi
}
command_line=""
for k in "${knobs[@]}"; do
  if [ -n "${!k+x}" ]; then command_line+="$k=$(shq "${!k}") "; fi
done
command_line+="./bench/redis-compare.sh"

# --- knobs -------------------------------------------------------------------------------------------------
LATTICE=${LATTICE:-"$repo/lattice"}
BENCH_REPEAT=${BENCH_REPEAT:-5}
BENCH_REQUESTS=${BENCH_REQUESTS:-}            # fixed -n for every row; empty = calibrate per row
BENCH_SECONDS=${BENCH_SECONDS:-3}             # calibration target: seconds per Redis run
BENCH_MODES=${BENCH_MODES:-"always no"}
BENCH_PIPELINES=${BENCH_PIPELINES:-"1 16"}
BENCH_TESTS=${BENCH_TESTS:-set,get,incr,lpush,hset,mset}
BENCH_CLIENTS=${BENCH_CLIENTS:-50}
BENCH_KEYSPACE=${BENCH_KEYSPACE:-100000}
BENCH_MEMORY_KEYS=${BENCH_MEMORY_KEYS:-1000000}
BENCH_VALUE_SIZE=${BENCH_VALUE_SIZE:-100}
BENCH_OUT=${BENCH_OUT:-"$repo/docs/benchmarks.md"}
BENCH_TMPDIR=${BENCH_TMPDIR:-/tmp}
BENCH_READY_TIMEOUT=${BENCH_READY_TIMEOUT:-60}
BENCH_RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-600}   # per redis-benchmark invocation
BENCH_KEEP=${BENCH_KEEP:-0}                   # 1 = keep the temp dir (logs, data, raw csv)
BENCH_FLOOR_PIPELINES=${BENCH_FLOOR_PIPELINES-1}  # pipeline depths also run against the no-work server; "" = none
read -r -a lattice_cmd <<<"$LATTICE"
IFS=',' read -r -a tests <<<"$BENCH_TESTS"
read -r -a pipelines <<<"$BENCH_PIPELINES"
read -r -a modes <<<"$BENCH_MODES"
read -r -a floor_pipelines <<<"$BENCH_FLOOR_PIPELINES"
floor_dll="$repo/artifacts/bin/SocketFloor/release/SocketFloor.dll"
case "$BENCH_OUT" in /*) ;; *) BENCH_OUT="$PWD/$BENCH_OUT" ;; esac

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ -x "$PY" ] || die "$PY is required"
[ -f "$helper" ] || die "missing $helper"

# --- 1. dependencies ---------------------------------------------------------------------------------------
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
{ command -v redis-benchmark && command -v redis-cli; } >/dev/null 2>&1 || need+=(redis-tools)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing ${need[*]}: run as root, or apt-get install ${need[*]}"
  log "installing ${need[*]}"
  before_pids=" $(pgrep -x redis-server | tr '\n' ' ') "
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  # The package may start a system redis-server of its own; stop the ones the install started, by pid.
  for p in $(pgrep -x redis-server || true); do
    case "$before_pids" in *" $p "*) ;; *) log "stopping redis-server pid $p started by the package install"; kill "$p" || true ;; esac
  done
fi
for tool in redis-server redis-cli redis-benchmark timeout lscpu; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
# redis-benchmark 7+ stops at the first error reply by itself; older ones count errors as successes unless -e.
bench_extra=()
bench_major=$(redis-benchmark --version 2>&1 | sed -n 's/^redis-benchmark \([0-9]*\).*/\1/p' | head -n 1)
if [ -n "$bench_major" ] && [ "$bench_major" -lt 7 ]; then bench_extra=(-e); fi

# --- state, cleanup ------------------------------------------------------------------------------------------
mkdir -p "$BENCH_TMPDIR"
run=$(mktemp -d "$BENCH_TMPDIR/lattice-bench.XXXXXX")
declare -A PID=() PORT=() DIR=() LOGF=() MODE=() STARTCMD=()
declare -A FAILED_ONCE=()
bench_pid=""
clock_ticks=$(getconf CLK_TCK)
: >"$run/results.tsv"
: >"$run/failures.md"

alive() { # pid: running and not a zombie
  local st
  st=$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

stop_server() { # name
  local name=$1 pid=${PID[$1]:-}
  [ -n "$pid" ] || return 0
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then log "$name (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  wait "$pid" 2>/dev/null || true
  PID[$name]=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$bench_pid" ]; then kill -TERM "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true; fi
  stop_server redis
  stop_server lattice
  stop_server floor
  if [ "$BENCH_KEEP" = 1 ]; then
    log "kept $run (BENCH_KEEP=1)"
  else
    rm -rf "$run"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT
trap 'log terminated; exit 143' TERM

# --- 2. servers ------------------------------------------------------------------------------------------------
free_ports() { "$PY" "$helper" ports "$1"; }

launch() { # name mode port
  local name=$1 mode=$2 port=$3 dir
  dir=$(mktemp -d "$run/data-$name-$mode.XXXX")
  DIR[$name]=$dir; PORT[$name]=$port; MODE[$name]=$mode; LOGF[$name]="$dir.log"
  case $name in
    redis)
      STARTCMD[$name]="redis-server --port $port --bind 127.0.0.1 --dir $dir --save \"\" --appendonly yes --appendfsync $mode --daemonize no"
      redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly yes \
        --appendfsync "$mode" --daemonize no >"${LOGF[$name]}" 2>&1 &
      ;;
    lattice)
      # A single node listens for peers too; give it a free port (port + 10000 may be taken or out of range).
      local peer; peer=$(free_ports 1)
      STARTCMD[$name]="$LATTICE server --port $port --peer-port $peer --data-dir $dir --appendfsync $mode"
      "${lattice_cmd[@]}" server --port "$port" --peer-port "$peer" --data-dir "$dir" --appendfsync "$mode" >"${LOGF[$name]}" 2>&1 &
      ;;
    floor)
      # Parses each request and answers +OK, nothing else; polls before it sleeps, as the node's loop does.
      STARTCMD[$name]="dotnet $floor_dll epoll $port 1 256"
      dotnet "$floor_dll" epoll "$port" 1 256 >"${LOGF[$name]}" 2>&1 &
      ;;
  esac
  PID[$name]=$!
}

wait_ready() { # name
  local name=$1 deadline=$((SECONDS + BENCH_READY_TIMEOUT)) reply expected=PONG
  [ "$name" = floor ] && expected=OK
  while :; do
    if ! alive "${PID[$name]}"; then
      local rc=0; wait "${PID[$name]}" 2>/dev/null || rc=$?
      PID[$name]=""
      log "$name exited (status $rc) before answering PING; command: ${STARTCMD[$name]}"
      tail -n 40 "${LOGF[$name]}" >&2 || true
      die "$name did not start"
    fi
    reply=$(timeout 5 redis-cli -h 127.0.0.1 -p "${PORT[$name]}" ping 2>/dev/null || true)
    [ "$reply" = "$expected" ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name did not answer PING with $expected within ${BENCH_READY_TIMEOUT}s (last reply: '${reply}'); command: ${STARTCMD[$name]}"
      tail -n 40 "${LOGF[$name]}" >&2 || true
      die "$name not ready"
    fi
    sleep 0.2
  done
}

start_pair() { # mode: fresh data dirs, fresh ports
  local mode=$1 ports
  stop_server redis; stop_server lattice
  mapfile -t ports < <(free_ports 2)
  launch redis "$mode" "${ports[0]}"
  launch lattice "$mode" "${ports[1]}"
  wait_ready redis
  wait_ready lattice
  log "redis (pid ${PID[redis]}) on :${PORT[redis]}, lattice (pid ${PID[lattice]}) on :${PORT[lattice]}, appendfsync $mode"
}

server_label() { case $1 in redis) echo Redis ;; lattice) echo Lattice ;; *) echo "No-work server" ;; esac; }

# Record a failure in failures.md: the first one per (server, mode, test, pipeline) in detail, later ones counted in
# the tables only.
record_failure() { # name what detail-file-or-empty
  local name=$1 what=$2 detail=${3:-} key="$1|$4"
  if [ -n "${FAILED_ONCE[$key]:-}" ]; then return 0; fi
  FAILED_ONCE[$key]=1
  {
    echo "### $(server_label "$name"): $what"
    echo
    echo "Reproduce (the server had already served the earlier rows of this mode in this run):"
    echo
    echo '```'
    echo "$(repro_server "$name") &"
    if [ -n "${REPRO_CLIENT:-}" ]; then echo "$REPRO_CLIENT"; fi
    echo '```'
    if [ -n "$detail" ] && [ -s "$detail" ]; then
      echo
      echo "Output:"
      echo
      echo '```'
      head -c 3000 "$detail"
      echo
      echo '```'
    fi
    echo
  } >>"$run/failures.md"
}

# If a server died, record it (with its log) and start it again on a fresh data dir so the run can go on.
check_alive() { # name context
  local name=$1 context=$2
  local pid=${PID[$name]:-}
  if [ -n "$pid" ] && alive "$pid"; then return 0; fi
  local rc=0; [ -n "$pid" ] && { wait "$pid" 2>/dev/null || rc=$?; }
  log "$name (pid $pid) is not running (exit status $rc) $context; restarting it"
  tail -n 60 "${LOGF[$name]}" >"$run/crash-$name.txt" 2>/dev/null || true
  REPRO_CLIENT="${REPRO_CLIENT:-}" record_failure "$name" "server exited with status $rc $context (last lines of its log below)" "$run/crash-$name.txt" "crash|$context"
  PID[$name]=""
  local port; port=$(free_ports 1)
  launch "$name" "${MODE[$name]}" "$port"
  wait_ready "$name"
  return 1
}

# --- 3. throughput -------------------------------------------------------------------------------------------------
# Commands for a failure report, on a fixed port and data dir rather than this run's ephemeral ones.
REPRO_PORT=7400
repro_server() { # name
  local dir="/tmp/$1-repro"
  if [ "$1" = redis ]; then
    echo "rm -rf $dir && mkdir -p $dir && redis-server --port $REPRO_PORT --bind 127.0.0.1 --dir $dir --save \"\" --appendonly yes --appendfsync ${MODE[$1]} --daemonize no"
  elif [ "$1" = floor ]; then
    echo "dotnet build bench/SocketFloor -c Release && dotnet artifacts/bin/SocketFloor/release/SocketFloor.dll epoll $REPRO_PORT 1 256"
  else
    echo "rm -rf $dir && mkdir -p $dir && $LATTICE server --port $REPRO_PORT --data-dir $dir --appendfsync ${MODE[$1]}"
  fi
}
bench_cmd() { # test pipeline n
  echo "redis-benchmark -h 127.0.0.1 -p $REPRO_PORT -c $BENCH_CLIENTS -n $3 -r $BENCH_KEYSPACE -P $2 -t $1 --csv${bench_extra[*]:+ ${bench_extra[*]}}"
}

# CPU seconds (user + system) a process has used so far, all threads; empty when it is gone.
process_cpu() { # pid
  # Fields after the name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk -v hz="$clock_ticks" '{ printf "%.3f", ($12 + $13) / hz }' || true
}

# Sets CHILDREN_CPU to the CPU seconds used by this shell's finished children, from the builtin `times`; called
# directly, never in $(...), whose subshell has no finished children. A redis-benchmark reaped by `timeout` counts,
# as timeout was waited for.
children_cpu() {
  times >"$run/times"
  CHILDREN_CPU=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$run/times")
}

# Runs one redis-benchmark; sets B_RPS B_P50 B_ERR B_STATUS, and B_WALL B_GEN_CPU B_SRV_CPU (seconds: the run's
# wall time, redis-benchmark's CPU time, the server's CPU time over the run).
bench_once() { # name test pipeline n out
  local name=$1 test=$2 pl=$3 n=$4 out=$5 rc=0 parsed gen0 srv0 srv1 start
  children_cpu; gen0=$CHILDREN_CPU; srv0=$(process_cpu "${PID[$name]}"); start=$EPOCHREALTIME
  timeout -k 5 "$BENCH_RUN_TIMEOUT" redis-benchmark -h 127.0.0.1 -p "${PORT[$name]}" -c "$BENCH_CLIENTS" -n "$n" \
    -r "$BENCH_KEYSPACE" -P "$pl" -t "$test" --csv "${bench_extra[@]}" >"$out" 2>"$out.err" </dev/null &
  bench_pid=$!
  wait "$bench_pid" || rc=$?
  bench_pid=""
  B_WALL=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
  children_cpu
  B_GEN_CPU=$(awk -v a="$gen0" -v b="$CHILDREN_CPU" 'BEGIN { printf "%.3f", b - a }')
  srv1=$(process_cpu "${PID[$name]}")
  B_SRV_CPU=n/a
  if [ -n "$srv0" ] && [ -n "$srv1" ]; then B_SRV_CPU=$(awk -v a="$srv0" -v b="$srv1" 'BEGIN { printf "%.3f", b - a }'); fi
  parsed=$("$PY" "$helper" parse-csv "$out" || true)
  read -r B_RPS B_P50 B_ERR <<<"$parsed" || true
  B_RPS=${B_RPS:-n/a}; B_P50=${B_P50:-n/a}; B_ERR=${B_ERR:-0}
  B_STATUS=ok
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then B_STATUS="timeout after ${BENCH_RUN_TIMEOUT}s"
  elif [ "$rc" -ne 0 ]; then B_STATUS="redis-benchmark exit status $rc"
  elif [ "$B_RPS" = n/a ]; then B_STATUS="no CSV result"
  elif [ "${B_ERR:-0}" -gt 0 ]; then B_STATUS="errors from server"
  fi
  if [ "$B_STATUS" != ok ]; then
    cat "$out" "$out.err" 2>/dev/null | grep -v '^"' | head -n 30 >"$out.detail" || true
  fi
  return 0
}

measure() { # mode test pipeline name rep n
  local mode=$1 test=$2 pl=$3 name=$4 rep=$5 n=$6
  local out="$run/raw-$mode-$test-P$pl-$name-$rep.csv"
  check_alive "$name" "before $test -P $pl rep $rep (appendfsync $mode)" || true
  bench_once "$name" "$test" "$pl" "$n" "$out"
  local status=$B_STATUS
  if ! alive "${PID[$name]}"; then
    status="server crashed"
    REPRO_CLIENT="$(bench_cmd "$test" "$pl" "$n")" check_alive "$name" "during $test -P $pl rep $rep (appendfsync $mode)" || true
  fi
  if [ "$status" != ok ]; then
    REPRO_CLIENT="$(bench_cmd "$test" "$pl" "$n")" \
      record_failure "$name" "$test -P $pl, appendfsync $mode, rep $rep: $status" "$out.detail" "$mode|$test|$pl"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$test" "$pl" "$name" "$rep" "$n" "$B_RPS" \
    "$B_P50" "${B_ERR:-0}" "$([ "$status" = ok ] && echo ok || echo fail)" "$B_WALL" "$B_GEN_CPU" "$B_SRV_CPU" \
    >>"$run/results.tsv"
  log "$(printf '%-7s %-6s -P %-3s rep %s %-7s n=%-9s %12s ops/s  p50 %s ms  cpu s: bench %s server %s of %s  %s' "$mode" "$test" \
    "$pl" "$rep" "$name" "$n" "$B_RPS" "$B_P50" "$B_GEN_CPU" "$B_SRV_CPU" "$B_WALL" "$status")"
}

# Picks -n for a row so a Redis run takes about BENCH_SECONDS; the probe runs double as Redis's warm-up.
# Sets ROW_N and WARM_N.
calibrate() { # mode test pipeline
  local mode=$1 test=$2 pl=$3 n secs
  if [ "$pl" -gt 1 ]; then n=50000; else n=10000; fi
  while :; do
    bench_once redis "$test" "$pl" "$n" "$run/probe.csv"
    if [ "$B_STATUS" != ok ]; then
      log "calibration run against redis failed ($B_STATUS); using n=100000"
      ROW_N=100000; WARM_N=$n; return 0
    fi
    secs=$(awk -v n="$n" -v r="$B_RPS" 'BEGIN { printf "%.3f", n / r }')
    if awk -v s="$secs" 'BEGIN { exit !(s >= 0.5) }' || [ "$n" -ge 5000000 ]; then break; fi
    n=$((n * 4))
  done
  WARM_N=$n
  # Round to two significant digits; at least 10,000 requests and at most 50,000,000.
  ROW_N=$(awk -v r="$B_RPS" -v s="$BENCH_SECONDS" 'BEGIN {
    n = r * s; if (n < 10000) n = 10000; if (n > 50000000) n = 50000000;
    m = 1; while (n / m >= 100) m *= 10; printf "%d", int(n / m + 0.5) * m }')
}

# Whether the no-work server runs in rows of this pipeline depth.
with_floor() { # pipeline
  local p
  for p in "${floor_pipelines[@]}"; do [ "$p" = "$1" ] && return 0; done
  return 1
}

# Sets ROW_SERVERS to the servers a row of this pipeline depth runs against.
row_servers() { # pipeline
  ROW_SERVERS=(redis lattice)
  if with_floor "$1"; then ROW_SERVERS+=(floor); fi
}

run_mode() { # mode
  local mode=$1 test pl rep name n order i
  log "=== appendfsync $mode: starting fresh servers"
  start_pair "$mode"
  if [ ${#floor_pipelines[@]} -gt 0 ]; then
    stop_server floor
    launch floor none "$(free_ports 1)"
    wait_ready floor
  fi
  # Every test once on every server before the first row: a fresh Lattice compiles its hot paths (tiered JIT, a
  # background thread) in its first seconds of traffic, which would otherwise land in the first row's measured runs
  # (seen: 1,700 methods compiled during SET -P 1's first repetition, 300 in its second).
  for test in "${tests[@]}"; do
    for pl in "${pipelines[@]}"; do
      row_servers "$pl"
      for name in "${ROW_SERVERS[@]}"; do
        bench_once "$name" "$test" "$pl" "$([ "$pl" -gt 1 ] && echo 200000 || echo 20000)" "$run/warm-$name.csv"
      done
    done
  done
  for test in "${tests[@]}"; do
    for pl in "${pipelines[@]}"; do
      if [ -n "$BENCH_REQUESTS" ]; then
        n=$BENCH_REQUESTS
        WARM_N=$(( n / 5 > 1000 ? n / 5 : 1000 ))
        bench_once redis "$test" "$pl" "$WARM_N" "$run/warm-redis.csv"
      else
        calibrate "$mode" "$test" "$pl"
        n=$ROW_N
      fi
      # Warm-up for Lattice (JIT tiering) with as many requests as Redis's last probe.
      check_alive lattice "before the $test -P $pl warm-up (appendfsync $mode)" || true
      bench_once lattice "$test" "$pl" "$WARM_N" "$run/warm-lattice.csv"
      if [ "$B_STATUS" != ok ]; then
        REPRO_CLIENT="$(bench_cmd "$test" "$pl" "$WARM_N")" \
          record_failure lattice "$test -P $pl, appendfsync $mode, warm-up: $B_STATUS" "$run/warm-lattice.csv.detail" "$mode|$test|$pl"
      fi
      row_servers "$pl"
      if with_floor "$pl"; then
        check_alive floor "before the $test -P $pl warm-up (appendfsync $mode)" || true
        bench_once floor "$test" "$pl" "$WARM_N" "$run/warm-floor.csv"
      fi
      for rep in $(seq 1 "$BENCH_REPEAT"); do
        # Rotate which server goes first so drifting machine noise hits all alike.
        order=""
        for i in $(seq 0 $(( ${#ROW_SERVERS[@]} - 1 ))); do order+=" ${ROW_SERVERS[$(( (i + rep - 1) % ${#ROW_SERVERS[@]} ))]}"; done
        for name in $order; do
          measure "$mode" "$test" "$pl" "$name" "$rep" "$n"
        done
      done
    done
  done
}

# --- 4. memory ---------------------------------------------------------------------------------------------------
rss_of() { # name info-file -> "bytes source"
  local v; v=$("$PY" "$helper" info "$2" used_memory_rss)
  if [ "$v" != n/a ]; then echo "$v used_memory_rss"; return; fi
  v=$(awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/${PID[$1]}/status" 2>/dev/null || true)
  echo "${v:-n/a} VmRSS"
}

# Polls memory once a second until two readings are within 0.5% (at most 20 s).
settle() { # name
  local name=$1 prev="" cur i
  for i in $(seq 1 20); do
    sleep 1
    alive "${PID[$name]}" || return 0
    timeout 10 redis-cli -h 127.0.0.1 -p "${PORT[$name]}" info memory >"$run/settle" 2>&1 || true
    cur=$("$PY" "$helper" info "$run/settle" used_memory)
    if [ "$cur" = n/a ]; then cur=$(awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/${PID[$name]}/status" 2>/dev/null || echo 0); fi
    if [ -n "$prev" ] && awk -v a="$prev" -v b="$cur" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d / a < 0.005) }'; then
      return 0
    fi
    prev=$cur
  done
  log "$name: memory still moving after 20 s; measuring anyway"
}

run_memory() {
  local name info before after rss src res ok errs secs
  log "=== memory: $BENCH_MEMORY_KEYS keys x $BENCH_VALUE_SIZE bytes on fresh servers"
  start_pair no
  {
    echo "keys=$BENCH_MEMORY_KEYS"
    echo "value_size=$BENCH_VALUE_SIZE"
  } >>"$run/memory"
  for name in redis lattice; do
    info="$run/info-$name"
    # MEMORY PURGE on both: Redis returns jemalloc's dirty pages, Lattice runs a full compacting GC, so used_memory
    # counts live data rather than garbage not yet collected.
    timeout 60 redis-cli -h 127.0.0.1 -p "${PORT[$name]}" memory purge >/dev/null 2>&1 || true
    timeout 10 redis-cli -h 127.0.0.1 -p "${PORT[$name]}" info memory >"$info-before" 2>&1 || true
    sleep 1
    read -r rss src <<<"$(rss_of "$name" "$info-before")"
    before=$("$PY" "$helper" info "$info-before" used_memory)
    echo "${name}_used_memory_before=$before" >>"$run/memory"
    echo "${name}_rss_before=$rss" >>"$run/memory"
    if res=$("$PY" "$helper" load "${PORT[$name]}" "$BENCH_MEMORY_KEYS" "$BENCH_VALUE_SIZE" 2>"$run/load-$name.err"); then
      read -r ok errs secs <<<"$res"
    else
      ok=n/a; errs=n/a; secs=n/a
      REPRO_CLIENT="/usr/bin/python3 bench/redis_compare.py load $REPRO_PORT $BENCH_MEMORY_KEYS $BENCH_VALUE_SIZE" \
        record_failure "$name" "loading $BENCH_MEMORY_KEYS keys failed" "$run/load-$name.err" "memory"
    fi
    if [ "$errs" != n/a ] && [ "$errs" != 0 ]; then
      REPRO_CLIENT="/usr/bin/python3 bench/redis_compare.py load $REPRO_PORT $BENCH_MEMORY_KEYS $BENCH_VALUE_SIZE" \
        record_failure "$name" "$errs of $BENCH_MEMORY_KEYS SETs answered with an error" "$run/load-$name.err" "memory"
    fi
    log "$name: loaded ${ok} keys in ${secs}s, ${errs} errors"
    settle "$name"  # incremental rehashing, AOF, GC: wait until the figure stops moving
    if ! alive "${PID[$name]}"; then
      local rc=0; wait "${PID[$name]}" 2>/dev/null || rc=$?
      PID[$name]=""
      log "$name exited (status $rc) after loading the keys; no memory figures for it"
      tail -n 60 "${LOGF[$name]}" >"$run/crash-$name.txt" 2>/dev/null || true
      REPRO_CLIENT="/usr/bin/python3 bench/redis_compare.py load $REPRO_PORT $BENCH_MEMORY_KEYS $BENCH_VALUE_SIZE" \
        record_failure "$name" "server exited with status $rc while loading $BENCH_MEMORY_KEYS keys (last lines of its log below)" "$run/crash-$name.txt" "memory-crash"
      echo "${name}_crashed=1" >>"$run/memory"
      continue
    fi
    timeout 60 redis-cli -h 127.0.0.1 -p "${PORT[$name]}" memory purge >/dev/null 2>&1 || true
    timeout 10 redis-cli -h 127.0.0.1 -p "${PORT[$name]}" info memory >"$info-after" 2>&1 || true
    read -r rss src <<<"$(rss_of "$name" "$info-after")"
    after=$("$PY" "$helper" info "$info-after" used_memory)
    {
      echo "${name}_used_memory_after=$after"
      echo "${name}_rss_after=$rss"
      echo "${name}_rss_source=$src"
      echo "${name}_dbsize=$(timeout 10 redis-cli -h 127.0.0.1 -p "${PORT[$name]}" dbsize 2>&1 | head -n 1)"
      echo "${name}_load_seconds=$secs"
      echo "${name}_load_errors=$errs"
    } >>"$run/memory"
    log "$name: used_memory $before -> $after, rss ($src) -> $rss"
  done
  stop_server redis; stop_server lattice
}

# --- main ----------------------------------------------------------------------------------------------------------
log "run dir $run; lattice command: $LATTICE"
log "preparing Lattice (the repo launcher builds on first use)"
# No MSBuild worker nodes or compiler server left running after a launcher build.
if ! MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false timeout 900 "${lattice_cmd[@]}" help >"$run/lattice-help.txt" 2>&1; then
  log "warning: '$LATTICE help' failed; its output:"; tail -n 20 "$run/lattice-help.txt" >&2 || true
fi
# The repo's commit as the run starts (right after the launcher's build); a LATTICE pointing elsewhere may differ.
commit=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo n/a)
dirty=0
if [ -n "$(git -C "$repo" status --porcelain -- src 2>/dev/null)" ]; then dirty=1; fi
if [ -n "${BENCH_LATTICE_COMMIT:-}" ]; then commit=$BENCH_LATTICE_COMMIT; dirty=0; fi

if [ ${#floor_pipelines[@]} -gt 0 ]; then
  log "building the no-work server (bench/SocketFloor)"
  MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false timeout 900 dotnet build "$repo/bench/SocketFloor" -c Release \
    -nologo -v quiet >"$run/floor-build.txt" 2>&1 || { tail -n 20 "$run/floor-build.txt" >&2; die "bench/SocketFloor did not build"; }
fi

for mode in "${modes[@]}"; do run_mode "$mode"; done
stop_server redis; stop_server lattice; stop_server floor
if [ "$BENCH_MEMORY_KEYS" -gt 0 ]; then run_memory; fi

# --- 5. report -------------------------------------------------------------------------------------------------
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "cores=$(nproc)"
  echo "ram=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "redis_version=$(redis-server --version)"
  echo "benchmark_version=$(redis-benchmark --version 2>&1 | head -n 1)"
  echo "dotnet_version=$(dotnet --version 2>/dev/null || echo n/a)"
  echo "lattice_commit=$commit"
  echo "lattice_dirty=$dirty"
  echo "lattice_cmd=$LATTICE"
  echo "command=$command_line"
  echo "modes=${modes[*]}"
  echo "tests=$(IFS=,; echo "${tests[*]}")"
  echo "pipelines=${pipelines[*]}"
  echo "floor_pipelines=${floor_pipelines[*]}"
  echo "repeat=$BENCH_REPEAT"
  echo "seconds=$BENCH_SECONDS"
  echo "requests_fixed=$([ -n "$BENCH_REQUESTS" ] && echo 1 || echo 0)"
  echo "clients=$BENCH_CLIENTS"
  echo "keyspace=$BENCH_KEYSPACE"
  echo "bench_extra=${bench_extra[*]}"
  echo "load_start=$load_start"
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "elapsed=$(( $(date +%s) - start_epoch ))"
} >"$run/meta"
summary=$("$PY" "$helper" report "$run" "$BENCH_OUT")
cat "$BENCH_OUT"
log "wrote $BENCH_OUT: $summary"
