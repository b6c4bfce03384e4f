using System.Globalization;
using Lattice.Testing.History;

namespace Lattice.Testing.Chaos;

/// <summary>
/// `lattice chaos --check DIR`: checks the histories a run left (history-*.jsonl) again and redraws its plot with
/// its fault windows (faults.jsonl), e.g. after a checker changed or for a run whose process died before checking.
/// </summary>
public static class ChaosRecheck
{
    public static async Task<(bool Valid, string VerdictLine)> RunAsync(string runDirectory, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(log);
        var verdicts = new List<ChaosVerdict>();
        var histories = new List<IReadOnlyList<HistoryOperation>>();
        foreach (string workload in ChaosChecks.Workloads)
        {
            string path = Path.Combine(runDirectory, $"history-{workload}.jsonl");
            if (!File.Exists(path))
            {
                continue;
            }

            List<HistoryOperation> history;
            using (var reader = new StreamReader(path))
            {
                history = HistoryJson.Read(reader);
            }

            histories.Add(history);
            ChaosVerdict verdict = ChaosChecks.Check(workload, history);
            verdicts.Add(verdict);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload}: {history.Count} operations read from {path}"));
            log.WriteLine(verdict.Text);
        }

        if (verdicts.Count == 0)
        {
            throw new FileNotFoundException($"no history-<workload>.jsonl files in {runDirectory}");
        }

        string faultsPath = Path.Combine(runDirectory, "faults.jsonl");
        List<FaultWindow> faults = [];
        if (File.Exists(faultsPath))
        {
            using var reader = new StreamReader(faultsPath);
            faults = FaultWindowJson.Read(reader);
        }

        // The run's own clock is not saved; its first invoke stands in for the start (they are milliseconds apart).
        long start = long.MaxValue;
        long end = long.MinValue;
        foreach (IReadOnlyList<HistoryOperation> history in histories)
        {
            foreach (HistoryOperation operation in history)
            {
                start = Math.Min(start, operation.InvokeTime);
                end = Math.Max(end, operation.CompleteTime == long.MaxValue ? operation.InvokeTime : operation.CompleteTime);
            }
        }

        double durationMs = start == long.MaxValue ? 1000 : ChaosTimeline.ToMs(end - start) + 1;
        string title = $"Lattice chaos, checked again: {Path.GetFileName(Path.TrimEndingDirectorySeparator(runDirectory))}";
        await File.WriteAllTextAsync(
            Path.Combine(runDirectory, "plot.svg"), ChaosPlot.Render(ChaosTimeline.From(histories, start, durationMs), faults, title)).ConfigureAwait(false);
        (bool valid, string line) = ChaosRunner.Verdict(verdicts, [], unsafeMode: null);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chaos: {faults.Count} fault windows; plot redrawn in {Path.Combine(runDirectory, "plot.svg")}"));
        log.WriteLine(line);
        return (valid, line);
    }
}
