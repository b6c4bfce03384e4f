using System.Globalization;
using System.Text;

namespace Lattice.Bench.Compare;

/// <summary>
/// The comparison's markdown report: set-up, throughput with Lattice's ratios to Redis and etcd, latency
/// percentiles, the harness's own overhead (no-op driver) against the fastest system, and the exact commands.
/// </summary>
public static class CompareMarkdown
{
    /// <summary>The harness may cost at most this share of the fastest system's time per operation.</summary>
    public const double OverheadTarget = 0.05;

    public static string Render(CompareSettings settings, IReadOnlyList<BenchResult> results, IReadOnlyDictionary<string, string> startedAs, DateTimeOffset now)
    {
        var md = new StringBuilder();
        string[] systems = settings.Systems.ToArray();
        Line(md, "# YCSB benchmarks: Lattice, Redis and etcd");
        Line(md, "");
        Line(md, $"Generated {now:yyyy-MM-dd HH:mm} UTC by `{settings.Command}` on {Environment.ProcessorCount} cores; every system and the load generator share the machine.");
        Line(md, "");
        Line(md, $"Set-up: {settings.RecordCount} records of {settings.ValueSizeBytes} B (one value per key, `user<fnv64(n)>` names as YCSB), loaded once per system; then each cell runs {settings.Warmup.TotalSeconds:F0} s of warm-up and {settings.Duration.TotalSeconds:F0} s measured, closed loop (each client sends its next operation when the last one returns), cells in the order of the tables. Workloads are YCSB's core A-F (zipfian θ = 0.99 scrambled as YCSB, latest for D) and W, updates only (zipfian). Latency is from send to last reply, in a log-linear histogram (error ≤ {LatencyHistogram.RelativeErrorBound * 100:F1} %).");
        Line(md, "");
        Line(md, "Durability is alike: redis-server fsyncs its AOF on every write (`appendfsync always`), etcd fsyncs its WAL before acknowledging (its default), Lattice fsyncs its log before replying. Reads: etcd's Range is linearizable (its default), Lattice reads are strong (ReadIndex), Redis reads its one node. Read-modify-write is GET then SET on RESP; on etcd Range then a Txn that puts if mod_revision is unchanged (retried on conflict). Scans (E) are ZRANGEBYLEX over a sorted-set index of names plus MGET on RESP, and a Range with limit on etcd.");
        Line(md, "");
        Line(md, "## Throughput (ops/s)");
        Line(md, "");
        var header = new StringBuilder("| workload | clients |");
        var rule = new StringBuilder("|---|---:|");
        foreach (string system in systems)
        {
            header.Append(CultureInfo.InvariantCulture, $" {system} |");
            rule.Append("---:|");
        }

        bool ratios = systems.Contains("lattice");
        foreach (string other in systems.Where(s => s != "lattice" && ratios))
        {
            header.Append(CultureInfo.InvariantCulture, $" lattice/{other} |");
            rule.Append("---:|");
        }

        Line(md, header.ToString());
        Line(md, rule.ToString());
        foreach ((string workload, int clients) in Cells(settings))
        {
            var row = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"| {workload} | {clients} |"));
            foreach (string system in systems)
            {
                BenchResult? r = Find(results, system, workload, clients);
                row.Append(' ').Append(r is null ? "n/a" : Ops(r)).Append(" |");
            }

            BenchResult? lattice = Find(results, "lattice", workload, clients);
            foreach (string other in systems.Where(s => s != "lattice" && ratios))
            {
                BenchResult? r = Find(results, other, workload, clients);
                row.Append(' ').Append(lattice is null || r is null || r.OpsPerSecond == 0 ? "n/a" : (lattice.OpsPerSecond / r.OpsPerSecond).ToString("F2", CultureInfo.InvariantCulture)).Append(" |");
            }

            Line(md, row.ToString());
        }

        Line(md, "");
        Line(md, "## Latency (ms): p50 / p99 / p99.9 / max");
        Line(md, "");
        Line(md, "| workload | clients | " + string.Join(" | ", systems) + " |");
        Line(md, "|---|---:|" + string.Concat(systems.Select(_ => "---:|")));
        foreach ((string workload, int clients) in Cells(settings))
        {
            var row = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"| {workload} | {clients} |"));
            foreach (string system in systems)
            {
                BenchResult? r = Find(results, system, workload, clients);
                row.Append(' ').Append(r is null ? "n/a" : $"{BenchReport.Ms(r.Latency.P50Ns)} / {BenchReport.Ms(r.Latency.P99Ns)} / {BenchReport.Ms(r.Latency.P999Ns)} / {BenchReport.Ms(r.Latency.MaxNs)}").Append(" |");
            }

            Line(md, row.ToString());
        }

        RenderOverhead(md, settings, results);
        RenderFailures(md, results);
        Line(md, "");
        Line(md, "## Plots");
        Line(md, "");
        string name = Path.GetFileName(settings.SvgPathPrefix);
        Line(md, $"![throughput per system and workload]({name}-throughput.svg)");
        Line(md, "");
        Line(md, $"![p99 latency against throughput]({name}-latency.svg)");
        Line(md, "");
        Line(md, "## How each system was started");
        Line(md, "");
        Line(md, "Ports are free loopback ports picked per run; data directories are fresh temporary folders.");
        Line(md, "");
        Line(md, "```");
        foreach (string system in systems.Where(startedAs.ContainsKey))
        {
            Line(md, startedAs[system]);
        }

        Line(md, "```");
        Line(md, "");
        Line(md, "## Commands per cell");
        Line(md, "");
        Line(md, "Each cell can be rerun alone against a running system with its `lattice bench` command (records already loaded):");
        Line(md, "");
        Line(md, "```");
        foreach (BenchResult r in results)
        {
            Line(md, r.Command);
        }

        Line(md, "```");
        return md.ToString();
    }

    private static void RenderOverhead(StringBuilder md, CompareSettings settings, IReadOnlyList<BenchResult> results)
    {
        if (!results.Any(r => r.Target == "noop"))
        {
            return;
        }

        Line(md, "");
        Line(md, "## Harness overhead (no-op driver)");
        Line(md, "");
        Line(md, $"The same cells against `--target noop` (no store): the harness's CPU time per operation (1 / no-op throughput) as a share of the fastest system's time per operation (1 / its throughput). Target: under {OverheadTarget * 100:F0} %.");
        Line(md, "");
        Line(md, "| workload | clients | no-op ops/s | harness µs/op | fastest system | its µs/op | overhead |");
        Line(md, "|---|---:|---:|---:|---|---:|---:|");
        foreach ((string workload, int clients) in Cells(settings))
        {
            BenchResult? noop = Find(results, "noop", workload, clients);
            BenchResult? fastest = results.Where(r => r.Target != "noop" && r.Workload == workload && r.Clients == clients).MaxBy(r => r.OpsPerSecond);
            if (noop is null || noop.OpsPerSecond == 0)
            {
                continue;
            }

            string fastestName = fastest?.Target ?? "n/a";
            string fastestUs = fastest is null ? "n/a" : (1e6 / fastest.OpsPerSecond).ToString("F2", CultureInfo.InvariantCulture);
            double share = fastest is null ? 0 : fastest.OpsPerSecond / noop.OpsPerSecond;
            string overhead = fastest is null ? "n/a" : (share * 100).ToString("F2", CultureInfo.InvariantCulture) + " %" + (share >= OverheadTarget ? " **ABOVE TARGET**" : "");
            Line(md, string.Create(CultureInfo.InvariantCulture, $"| {workload} | {clients} | {Ops(noop)} | {1e6 / noop.OpsPerSecond:F3} | {fastestName} | {fastestUs} | {overhead} |"));
        }
    }

    private static void RenderFailures(StringBuilder md, IReadOnlyList<BenchResult> results)
    {
        List<BenchResult> failed = results.Where(r => r.Errors > 0 || r.Conflicts > 0).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        Line(md, "");
        Line(md, "## Errors and conflicts");
        Line(md, "");
        foreach (BenchResult r in failed)
        {
            Line(md, string.Create(CultureInfo.InvariantCulture, $"- {r.Target} {r.Workload} clients={r.Clients}: {r.Errors} errors, {r.Conflicts} read-modify-write conflicts"));
        }
    }

    private static IEnumerable<(string Workload, int Clients)> Cells(CompareSettings settings) =>
        settings.Workloads.SelectMany(w => settings.ClientCounts.Select(c => (w.ToUpperInvariant(), c)));

    private static BenchResult? Find(IReadOnlyList<BenchResult> results, string target, string workload, int clients) =>
        results.FirstOrDefault(r => r.Target == target && r.Workload == workload && r.Clients == clients);

    private static string Ops(BenchResult result) => result.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
