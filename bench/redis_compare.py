#!/usr/bin/python3
"""Helpers for bench/redis-compare.sh (standard library only; run with /usr/bin/python3).

Subcommands:
  ports N                         print N distinct free loopback TCP ports, one per line
  parse-csv FILE                  print "rps p50_ms errors" for the single test in a redis-benchmark --csv output
  load PORT KEYS VALUE_SIZE       SET KEYS keys (mem:<i>) with VALUE_SIZE-byte values over one pipelined
                                  connection; print "ok errors seconds"
  info FILE FIELD                 print FIELD from saved INFO output, or "n/a"
  report RUNDIR OUT               render the markdown report from the files the shell script wrote to RUNDIR
"""
import os
import random
import socket
import statistics
import sys
import time


def cmd_ports(n):
    socks = []
    try:
        for _ in range(int(n)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        for s in socks:
            print(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()


def cmd_parse_csv(path):
    """redis-benchmark --csv -e: a header line, one quoted row per test, and 'Error from server: ...' lines."""
    rows = []
    header = None
    errors = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("Error from server") or line.startswith("Error:"):
                errors += 1
                continue
            if not line.startswith('"'):
                continue
            cells = [c.strip('"') for c in line.split('","')]
            if cells[0] == "test":
                header = cells
            else:
                rows.append(cells)
    if header is None or not rows:
        print("n/a n/a %d" % errors)
        return 1
    row = dict(zip(header, rows[0]))
    rps = row.get("rps", "n/a") or "n/a"
    p50 = row.get("p50_latency_ms", "n/a") or "n/a"
    print("%s %s %d" % (rps, p50, errors))
    return 0


def cmd_load(port, keys, value_size):
    keys, value_size = int(keys), int(value_size)
    rng = random.Random(20240601)
    batch = 10000
    ok = errors = 0
    first_error = None
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", int(port)), timeout=300) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        value_prefix = b"$%d\r\n" % value_size
        for base in range(0, keys, batch):
            count = min(batch, keys - base)
            parts = []
            for i in range(base, base + count):
                key = b"mem:%d" % i
                # Incompressible, distinct values: 100 hex characters from a seeded generator.
                value = rng.randbytes((value_size + 1) // 2).hex().encode()[:value_size]
                parts.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n%s%s\r\n" % (len(key), key, value_prefix, value))
            s.sendall(b"".join(parts))
            # A SET reply is one line (+OK or -ERR ...), so counting CRLFs counts replies.
            buf = b""
            lines = 0  # counted on the whole buffer, so a CRLF split across two recv() calls still counts
            while lines < count:
                chunk = s.recv(1 << 20)
                if not chunk:
                    raise SystemExit("load: server closed the connection after %d replies" % (ok + errors + lines))
                buf += chunk
                lines = buf.count(b"\r\n")
            for line in buf.split(b"\r\n"):
                if not line:
                    continue
                if line.startswith(b"+"):
                    ok += 1
                else:
                    errors += 1
                    if first_error is None:
                        first_error = line[:200].decode("utf-8", "replace")
    elapsed = time.monotonic() - start
    print("%d %d %.2f" % (ok, errors, elapsed))
    if first_error:
        print("first error: %s" % first_error, file=sys.stderr)
    return 0


def read_info(path, field):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith(field + ":"):
                    value = line.split(":", 1)[1].strip()
                    return value if value else "n/a"
    except OSError:
        pass
    return "n/a"


def cmd_info(path, field):
    print(read_info(path, field))


# ---------------------------------------------------------------- report

def read_kv(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                out[k] = v
    return out


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def fmt_int(v):
    return "n/a" if v is None else "{:,.0f}".format(v)


def fmt_ms(v):
    return "n/a" if v is None else "%.3f" % v


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values):
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return None
    m = statistics.median(values)
    return (max(values) - min(values)) / m if m else None


# A row whose load generator was at least this busy (share of its one core) against both servers is bounded by it.
GENERATOR_BOUND = 0.95


def row_cpu(results, mode, test, pl, server):
    """Medians over a row's good runs against one server: generator busy share, generator µs and server µs per request."""
    runs = []
    for r in results:
        if r[0] != mode or r[1] != test or r[2] != pl or r[3] != server or r[9] != "ok":
            continue
        n, wall, gen, srv = num(r[5]), num(r[10]), num(r[11]), num(r[12])
        runs.append((gen / wall if (gen is not None and wall) else None,
                     gen * 1e6 / n if (gen is not None and n) else None,
                     srv * 1e6 / n if (srv is not None and n) else None))
    return [median([x[i] for x in runs if x[i] is not None]) for i in range(3)]


def render_cpu(w, results, modes, tests, pipelines):
    """Where each row's CPU went: the load generator's share of its core, and CPU per request on both sides."""
    table = []
    for mode in modes:
        for test in tests:
            for pl in pipelines:
                cells = [row_cpu(results, mode, test, pl, server) for server in ("redis", "lattice")]
                floor = row_cpu(results, mode, test, pl, "floor")
                cells.append(floor if any(v is not None for v in floor) else None)
                if any(v is not None for c in cells[:2] for v in c):
                    table.append((mode, test, pl, cells))
    if not table:
        return

    def pct(v):
        return "n/a" if v is None else "%.0f%%" % (100 * v)

    def us(v):
        return "n/a" if v is None else "%.1f" % v

    w("## Where the CPU went")
    w("")
    w("Medians over each row's measured runs. redis-benchmark's CPU time is read with the shell's `times` once it "
      "has exited, each server's from `/proc/<pid>/stat` (all its threads) before and after the run. "
      "redis-benchmark drives all its clients from one thread: a row where it is busy close to 100%% of a core "
      "against both servers is limited by the load generator, and its ratio then says how much of the "
      "generator's time each server leaves it (a server asleep when a request arrives costs the sender a "
      "wake-up), not how much work each server needs; a row below target is marked generator-bound when "
      "redis-benchmark was at least %.0f%% busy against both. Server CPU counts every thread, including time "
      "spent polling for more work before sleeping (Lattice's client loop polls after a batch: "
      "`docs/performance.md`). The no-work server's own CPU is not shown: it polls whenever it is idle." % (
          100 * GENERATOR_BOUND))
    w("")
    w("| appendfsync | Test | Pipeline | redis-benchmark busy, Redis / Lattice / no-work | redis-benchmark "
      "µs/request, Redis / Lattice / no-work | server CPU µs/request, Redis / Lattice |")
    w("|---|---|---:|---:|---:|---:|")
    for mode, test, pl, (r, l, f) in table:
        w("| %s | %s | %s | %s / %s / %s | %s / %s / %s | %s / %s |" % (
            mode, TEST_LABEL.get(test, test.upper()), pl, pct(r[0]), pct(l[0]), pct(f[0]) if f else "-", us(r[1]),
            us(l[1]), us(f[1]) if f else "-", us(r[2]), us(l[2])))
    w("")


TEST_LABEL = {"set": "SET", "get": "GET", "incr": "INCR", "lpush": "LPUSH", "hset": "HSET", "mset": "MSET (10 keys)"}


def cmd_report(rundir, out):
    meta = read_kv(os.path.join(rundir, "meta"))
    results = []  # mode test pipeline server rep n rps p50 errors status wall_s bench_cpu_s server_cpu_s
    path = os.path.join(rundir, "results.tsv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                cells = line.rstrip("\n").split("\t")
                if len(cells) == 10:
                    cells += ["n/a", "n/a", "n/a"]  # a results file from before the CPU columns
                if len(cells) == 13:
                    results.append(cells)
    mem = read_kv(os.path.join(rundir, "memory"))
    failures = ""
    fpath = os.path.join(rundir, "failures.md")
    if os.path.exists(fpath):
        with open(fpath, encoding="utf-8", errors="replace") as f:
            failures = f.read().strip()

    ratio_target = 1.0
    mem_target = 1.2
    lines = []
    w = lines.append
    w("# Lattice vs Redis benchmarks")
    w("")
    w("Produced by `bench/redis-compare.sh` (see `bench/README.md`). Do not edit by hand: re-run the script. "
      "Where the time goes in rows below target, and what would close them: `docs/performance.md`.")
    w("")
    w("This page is one node against one `redis-server`. The other comparisons: YCSB workloads across a 3-node "
      "Lattice cluster, Redis and a 3-member etcd in [benchmarks-ycsb.md](benchmarks-ycsb.md) (`bench/compare.sh`), "
      "and redis-benchmark against the cluster next to Redis in [benchmarks-cluster.md](benchmarks-cluster.md) "
      "(`bench/cluster-redis.sh`).")
    w("")
    w("**Targets:** every Lattice/Redis throughput ratio >= %.1f, and Lattice memory per key <= %.1fx Redis. "
      "Rows below target are marked **BELOW**." % (ratio_target, mem_target))
    w("")
    w("## Run")
    w("")
    w("- Date: %s" % meta.get("date", "n/a"))
    w("- Machine: %s; %s logical CPUs; %s RAM; kernel %s" % (
        meta.get("cpu", "n/a"), meta.get("cores", "n/a"), meta.get("ram", "n/a"), meta.get("kernel", "n/a")))
    w("- Redis: `%s`" % meta.get("redis_version", "n/a"))
    w("- redis-benchmark: `%s`" % meta.get("benchmark_version", "n/a"))
    w("- .NET SDK: `%s`" % meta.get("dotnet_version", "n/a"))
    w("- Lattice: repo commit `%s` when the run started%s, started as `%s`" % (
        meta.get("lattice_commit", "n/a"),
        " (src/ had uncommitted changes)" if meta.get("lattice_dirty") == "1" else "",
        meta.get("lattice_cmd", "n/a")))
    w("- Command: `%s`" % meta.get("command", "n/a"))
    w("- Wall time: %s s; load average (1/5/15 min) before the run %s, at its end %s" % (
        meta.get("elapsed", "n/a"), meta.get("load_start", "n/a"), meta.get("load_end", "n/a")))
    try:
        busy = float(meta.get("load_start", "0").split()[0]) >= 1.0
    except ValueError:
        busy = False
    if busy:
        w("")
        w("**Warning:** the machine was already busy when the run started (1-minute load average %s); other work "
          "competes with the servers and the load generator, so expect noisy ratios." % meta["load_start"].split()[0])
    w("")
    w("Both servers run on loopback on the same machine as the load generator (which competes with them for the "
      "same cores), each with its own fresh data directory and an append-only log:")
    w("")
    w("- Redis: `redis-server --port P --bind 127.0.0.1 --dir D --save \"\" --appendonly yes "
      "--appendfsync MODE --daemonize no`")
    w("- Lattice: `%s server --port P --data-dir D --appendfsync MODE`" % meta.get("lattice_cmd", "lattice"))
    w("- Load: `redis-benchmark -h 127.0.0.1 -p P -c %s -n N -r %s -P PIPELINE -t TEST --csv%s`, the same flags "
      "for both servers (one test per invocation; redis-benchmark 7 stops at the first error reply). Each row is run %s time(s) per server, rotating which server goes first; the table "
      "shows the median ops/s and the median p50 latency. N is %s." % (
          meta.get("clients", "50"), meta.get("keyspace", "100000"),
          (" " + meta["bench_extra"]) if meta.get("bench_extra") else "", meta.get("repeat", "5"),
          "fixed by BENCH_REQUESTS" if meta.get("requests_fixed") == "1" else
          "calibrated per row so a Redis run takes about %s s" % meta.get("seconds", "3")))
    w("- Noise: the largest (max - min) / median of ops/s over the repetitions of either server in the row; a ratio "
      "within that distance of 1.0 is not a clear difference.")
    w("- Each mode starts with fresh servers, which first get one short untimed run of every test; before the "
      "measured runs of each row, both get one more untimed warm-up run of that row's test.")
    floor_pipelines = meta.get("floor_pipelines", "").split()
    if floor_pipelines:
        w("- No-work server (rows with pipeline %s): `bench/SocketFloor` (`dotnet SocketFloor.dll epoll P 1 256`), a "
          "loop that parses each request with Lattice's parser and answers `+OK` without doing anything else; it "
          "polls before it sleeps, as Lattice's loop does. It runs in the same rotation as the two servers, and "
          "its figure is the most any server can get out of this load generator on this machine: a ratio to Redis "
          "that the no-work server itself does not reach is not there to be won by a server." % (
              " and ".join(floor_pipelines)))
    w("")

    summary_total = summary_ok = 0
    modes = meta.get("modes", "always no").split()
    tests = meta.get("tests", "set,get,incr,lpush,hset,mset").split(",")
    pipelines = meta.get("pipelines", "1 16").split()
    for mode in modes:
        w("## Throughput, appendfsync %s" % mode)
        w("")
        w("| Test | Pipeline | N | Redis ops/s | Lattice ops/s | Lattice/Redis | No-work server ops/s "
          "(its ratio to Redis) | Redis p50 ms | Lattice p50 ms | Noise | Target |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for test in tests:
            for pl in pipelines:
                rows = [r for r in results if r[0] == mode and r[1] == test and r[2] == pl]
                if not rows:
                    continue
                n = rows[0][5]

                def agg(server):
                    mine = [r for r in rows if r[3] == server]
                    good = [r for r in mine if r[9] == "ok"]
                    bad = len(mine) - len(good)
                    return (median([num(r[6]) for r in good]), median([num(r[7]) for r in good]), bad,
                            spread([num(r[6]) for r in good]))

                r_rps, r_p50, r_bad, r_spread = agg("redis")
                l_rps, l_p50, l_bad, l_spread = agg("lattice")
                f_rps = agg("floor")[0]
                if f_rps is None:
                    floor_s = "-"
                else:
                    floor_s = "%s (%s)" % (fmt_int(f_rps), "%.2f" % (f_rps / r_rps) if r_rps else "n/a")
                spreads = [x for x in (r_spread, l_spread) if x is not None]
                noise = "%.0f%%" % (100 * max(spreads)) if spreads else "n/a"
                ratio = (l_rps / r_rps) if (l_rps and r_rps) else None
                summary_total += 1
                if ratio is not None and ratio >= ratio_target and l_bad == 0:
                    verdict = "ok"
                    summary_ok += 1
                    ratio_s = "%.2f" % ratio
                else:
                    verdict = "**BELOW**"
                    ratio_s = "**%.2f**" % ratio if ratio is not None else "**n/a**"
                notes = []
                if r_bad:
                    notes.append("Redis: %d failed run(s)" % r_bad)
                if l_bad:
                    notes.append("Lattice: %d failed run(s)" % l_bad)
                if notes:
                    verdict += " (" + "; ".join(notes) + ", see Failures)"
                busy = [row_cpu(results, mode, test, pl, server)[0] for server in ("redis", "lattice")]
                if verdict != "ok" and all(b is not None and b >= GENERATOR_BOUND for b in busy):
                    bound = "redis-benchmark %.0f%% / %.0f%% busy" % (100 * busy[0], 100 * busy[1])
                    if f_rps is not None and l_rps:
                        bound += "; Lattice at %.0f%% of the no-work server" % (100 * l_rps / f_rps)
                    verdict += " (generator-bound: %s, see Where the CPU went)" % bound
                w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    TEST_LABEL.get(test, test.upper()), pl, "{:,}".format(int(n)), fmt_int(r_rps), fmt_int(l_rps),
                    ratio_s, floor_s, fmt_ms(r_p50), fmt_ms(l_p50), noise, verdict))
        w("")

    render_cpu(w, results, modes, tests, pipelines)

    w("## Memory per key")
    w("")
    if mem:
        keys = int(mem.get("keys", "1000000"))
        w("Fresh servers (appendfsync no), then %s keys `mem:<i>` set to distinct %s-byte values over one pipelined "
          "connection. `MEMORY PURGE` runs on each server before each reading (jemalloc purge on Redis, a full compacting GC on Lattice). Per key = (after - before) / %s. RSS is `used_memory_rss` from `INFO memory` where the server "
          "reports it, otherwise VmRSS from `/proc/<pid>/status`." % (
              "{:,}".format(keys), mem.get("value_size", "100"), "{:,}".format(keys)))
        w("")

        def valid(server):
            """Figures count only if the server survived and holds every key."""
            return mem.get("%s_crashed" % server) != "1" and num(mem.get("%s_dbsize" % server)) == keys

        def per_key(server, field):
            if not valid(server):
                return None
            b, a = num(mem.get("%s_%s_before" % (server, field))), num(mem.get("%s_%s_after" % (server, field)))
            return (a - b) / keys if (a is not None and b is not None) else None

        w("| Measure | Redis | Lattice | Lattice/Redis | Target |")
        w("|---|---:|---:|---:|---|")
        for field, label in (("used_memory", "used_memory bytes/key"), ("rss", "RSS bytes/key")):
            r, l = per_key("redis", field), per_key("lattice", field)
            ratio = (l / r) if (l is not None and r is not None and r > 0 and l > 0) else None
            if ratio is None:
                verdict, ratio_s = "**BELOW** (not measured)", "n/a"
            elif ratio <= mem_target:
                verdict, ratio_s = "ok", "%.2f" % ratio
            else:
                verdict, ratio_s = "**BELOW**", "**%.2f**" % ratio
            summary_total += 1
            summary_ok += verdict == "ok"
            w("| %s | %s | %s | %s | %s |" % (
                label, "n/a" if r is None else "%.1f" % r, "n/a" if l is None else "%.1f" % l, ratio_s, verdict))
        for field, label in (("rss", "RSS after load (MiB)"),):
            r, l = num(mem.get("redis_%s_after" % field)), num(mem.get("lattice_%s_after" % field))
            w("| %s | %s | %s | | |" % (label, "n/a" if r is None else "%.1f" % (r / 1048576),
                                        "n/a" if l is None else "%.1f" % (l / 1048576)))
        w("| RSS source | %s | %s | | |" % (mem.get("redis_rss_source", "n/a"), mem.get("lattice_rss_source", "n/a")))
        w("| keys after load (DBSIZE) | %s | %s | | |" % tuple(
            "crashed" if mem.get("%s_crashed" % s) == "1" else mem.get("%s_dbsize" % s, "n/a") for s in ("redis", "lattice")))
        w("| load time (s) / SET errors | %s / %s | %s / %s | | |" % (
            mem.get("redis_load_seconds", "n/a"), mem.get("redis_load_errors", "n/a"),
            mem.get("lattice_load_seconds", "n/a"), mem.get("lattice_load_errors", "n/a")))
    else:
        w("Not run (BENCH_MEMORY_KEYS=0).")
    w("")
    w("## Summary")
    w("")
    w("%d of %d rows meet the target." % (summary_ok, summary_total))
    w("")
    w("## Failures")
    w("")
    w(failures if failures else "None: every redis-benchmark run completed without server errors, and no server exited.")
    w("")
    if results:
        w("<details><summary>Raw runs (ops/s, p50 ms, seconds of wall time and CPU per repetition)</summary>")
        w("")
        w("| Mode | Test | Pipeline | Server | Rep | N | ops/s | p50 ms | Errors | Status | Wall s | "
          "redis-benchmark CPU s | Server CPU s |")
        w("|---|---|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
        for r in results:
            w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                r[0], TEST_LABEL.get(r[1], r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                r[12]))
        w("")
        w("</details>")
        w("")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("%d of %d rows meet the target" % (summary_ok, summary_total))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    handlers = {"ports": cmd_ports, "parse-csv": cmd_parse_csv, "load": cmd_load, "info": cmd_info,
                "report": cmd_report}
    if cmd not in handlers:
        print(__doc__, file=sys.stderr)
        return 2
    return handlers[cmd](*args) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
