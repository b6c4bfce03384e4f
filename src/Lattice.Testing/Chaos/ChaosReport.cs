using System.Globalization;
using System.Text;

namespace Lattice.Testing.Chaos;

/// <summary>The run's report (markdown): verdict, what ran, operation counts, faults by kind and each window, anomalies.</summary>
internal static class ChaosReport
{
    public static string Render(ChaosOptions options, ChaosResult result, IReadOnlyList<ChaosWorkload> workloads)
    {
        var text = new StringBuilder();
        Line(text, $"# Chaos run, seed {options.Seed}");
        Line(text, $"");
        Line(text, $"**{result.VerdictLine}**");
        Line(text, $"");
        Line(text, $"- nodes: {options.Nodes}; duration {options.Duration.TotalSeconds} s; clients per workload: {options.ClientsPerWorkload}; rate per workload: {(options.RatePerWorkload == 0 ? "unlimited" : options.RatePerWorkload + " ops/s")}");
        Line(text, $"- nemesis: {options.Nemeses}; workloads: {options.Workloads}; unsafe mode: {options.UnsafeMode ?? "none"}");
        Line(text, $"- network: {result.NetworkDescription}");
        Line(text, $"- reproduce: `./lattice chaos --time {options.Duration.TotalSeconds} --nodes {options.Nodes} --nemesis {Flags(options.Nemeses)} --workload {Flags(options.Workloads)} --clients {options.ClientsPerWorkload} --rate {options.RatePerWorkload} --fault-time {options.FaultTime.TotalSeconds} --quiet-time {options.QuietTime.TotalSeconds} --seed {options.Seed}{(options.UnsafeMode is null ? string.Empty : " --unsafe " + options.UnsafeMode)}` (faults and operations are seeded; timing is not, so a rerun is similar, not identical)");
        Line(text, $"- files: history-*.jsonl (one JSON line per invoke and completion), plot.svg, nodes/n*.log");
        Line(text, $"");
        Line(text, $"## Operations");
        Line(text, $"");
        Line(text, $"| workload | ok | fail | info (indeterminate) | errors and lost replies |");
        Line(text, $"|---|---:|---:|---:|---|");
        foreach (ChaosWorkload workload in workloads)
        {
            (int ok, int fail, int info) = result.OperationCounts[workload.Name];
            Line(text, $"| {workload.Name} | {ok} | {fail} | {info} | {Counted(workload.Errors.OrderByDescending(pair => pair.Value))} |");
        }

        Line(text, $"");
        Line(text, $"## Checkers");
        Line(text, $"");
        foreach (ChaosVerdict verdict in result.Verdicts)
        {
            Line(text, $"```");
            Line(text, $"{verdict.Text}");
            Line(text, $"```");
        }

        Line(text, $"");
        Line(text, $"## Faults");
        Line(text, $"");
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (FaultWindow window in result.Faults)
        {
            byKind[window.Kind] = byKind.GetValueOrDefault(window.Kind) + 1;
        }

        Line(text, $"{result.Faults.Count} faults: {(byKind.Count == 0 ? "none" : Counted(byKind))}");
        Line(text, $"");
        Line(text, $"| from (s) | to (s) | kind | what |");
        Line(text, $"|---:|---:|---|---|");
        foreach (FaultWindow window in result.Faults)
        {
            Line(text, $"| {window.StartMs / 1000:F1} | {window.EndMs / 1000:F1} | {window.Kind} | {window.Description} |");
        }

        if (result.Problems.Count > 0)
        {
            Line(text, $"");
            Line(text, $"## Problems");
            Line(text, $"");
            foreach (string problem in result.Problems)
            {
                Line(text, $"- {problem}");
            }
        }

        Line(text, $"");
        Line(text, $"![throughput and latency with fault windows](plot.svg)");
        return text.ToString();
    }

    /// <summary>"name ×count, ..." in the given order.</summary>
    public static string Counted(IEnumerable<KeyValuePair<string, int>> counts)
    {
        var parts = new List<string>();
        foreach (KeyValuePair<string, int> pair in counts)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{pair.Key} ×{pair.Value}"));
        }

        return string.Join(", ", parts);
    }

    public static string Flags<TEnum>(TEnum flags)
        where TEnum : struct, Enum
    {
        string text = flags.ToString().ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal);
        return text == "none" ? "none" : text;
    }

    private static void Line(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
