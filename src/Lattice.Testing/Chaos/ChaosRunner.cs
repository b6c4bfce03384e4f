using System.Diagnostics;
using System.Globalization;
using Lattice.Testing.History;

namespace Lattice.Testing.Chaos;

/// <summary>
/// One chaos run: start the cluster, run the workloads' clients while the nemesis injects faults, heal everything,
/// read every key once more, stop the nodes, check the histories, and write the report and the plot. Cancelling
/// (Ctrl-C) ends the client phase early; healing, final reads (bounded) and checking still happen, so an
/// interrupted run still gives a verdict on what it did.
/// </summary>
public static class ChaosRunner
{
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);

    /// <summary>All final reads together, so a cluster that stopped answering cannot hold a run for long.</summary>
    private static readonly TimeSpan FinalReadsLimit = TimeSpan.FromSeconds(120);

    public static async Task<ChaosResult> RunAsync(ChaosOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        string runDirectory = Path.GetFullPath(Path.Combine(
            options.OutputDirectory, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-seed{options.Seed}")));
        Directory.CreateDirectory(runDirectory);
        var logLock = new Lock();
        void Log(string line)
        {
            lock (logLock)
            {
                log.WriteLine(line);
                log.Flush();
            }
        }

        Log($"chaos: {options.Nodes} nodes, {options.Duration.TotalSeconds} s, nemesis {options.Nemeses}, workloads {options.Workloads}, seed {options.Seed}{(options.UnsafeMode is null ? string.Empty : ", UNSAFE " + options.UnsafeMode)}");
        Log($"chaos: results in {runDirectory}");
        var problems = new List<string>();
        var workloads = CreateWorkloads(options, runDirectory);
        var clock = Stopwatch.StartNew();
        long startTimestamp = Stopwatch.GetTimestamp();
        IReadOnlyList<FaultWindow> windows = [];
        double clientPhaseMs = 0;
        string network;
        try
        {
            using ChaosCluster cluster = ChaosCluster.Start(options, runDirectory);
            network = cluster.NetworkDescription;
            Log("chaos: network: " + network);
            if (!await cluster.WaitUntilWritableAsync(SettleLimit, cancellationToken).ConfigureAwait(false))
            {
                problems.Add($"the cluster did not accept a write within {SettleLimit.TotalSeconds} s of starting");
            }
            else
            {
                Log(string.Create(CultureInfo.InvariantCulture, $"chaos: cluster writable after {clock.Elapsed.TotalSeconds:F1} s; running"));
                clock.Restart();
                startTimestamp = Stopwatch.GetTimestamp();
                var nemesis = new ChaosNemesis(cluster, options, clock, Log);
                windows = nemesis.Windows;
                await RunClientsAsync(options, cluster, workloads, nemesis, cancellationToken).ConfigureAwait(false);
                clientPhaseMs = clock.Elapsed.TotalMilliseconds;
                Log(string.Create(CultureInfo.InvariantCulture, $"chaos: [{clock.Elapsed.TotalSeconds:F1} s] clients stopped; healing and reading every key"));
                await nemesis.HealAllAsync().ConfigureAwait(false);
                if (!await cluster.WaitUntilWritableAsync(SettleLimit, CancellationToken.None).ConfigureAwait(false))
                {
                    // Final reads would only time out key by key; the checkers report what could not be read.
                    problems.Add($"the cluster did not accept a write within {SettleLimit.TotalSeconds} s of healing");
                }
                else
                {
                    using var finalReads = new CancellationTokenSource(FinalReadsLimit);
                    await FinalReadsAsync(options, cluster, workloads, finalReads.Token).ConfigureAwait(false);
                    if (finalReads.IsCancellationRequested)
                    {
                        problems.Add($"the final reads did not finish within {FinalReadsLimit.TotalSeconds} s");
                    }
                }
            }

            foreach (ChaosNode node in cluster.Nodes)
            {
                problems.AddRange(node.UnexpectedExits);
            }
        }
        finally
        {
            foreach (ChaosWorkload workload in workloads)
            {
                workload.Dispose();
            }
        }

        var verdicts = new List<ChaosVerdict>();
        var counts = new Dictionary<string, (int Ok, int Fail, int Info)>(StringComparer.Ordinal);
        var histories = new List<IReadOnlyList<HistoryOperation>>();
        foreach (ChaosWorkload workload in workloads)
        {
            IReadOnlyList<HistoryOperation> history = workload.Recorder.Snapshot();
            histories.Add(history);
            counts[workload.Name] = Count(history);
            ChaosVerdict verdict = ChaosChecks.Check(workload.Name, history);
            verdicts.Add(verdict);
            Log(Abridged(verdict.Text));
        }

        (bool valid, string verdictLine) = Verdict(verdicts, problems, options.UnsafeMode);
        var result = new ChaosResult(valid, verdictLine, runDirectory, network, verdicts, windows, problems, counts);
        // The plot covers the client phase, when the faults were; the final reads after it are a burst of their own.
        ChaosTimeline timeline = ChaosTimeline.From(histories, startTimestamp, Math.Max(1000, clientPhaseMs));
        await File.WriteAllTextAsync(Path.Combine(runDirectory, "plot.svg"), ChaosPlot.Render(timeline, windows, Title(options)), CancellationToken.None).ConfigureAwait(false);
        await File.WriteAllLinesAsync(Path.Combine(runDirectory, "faults.jsonl"), windows.Select(FaultWindowJson.Format), CancellationToken.None).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(runDirectory, "report.md"), ChaosReport.Render(options, result, workloads), CancellationToken.None).ConfigureAwait(false);
        foreach (string problem in problems)
        {
            Log("chaos: problem: " + problem);
        }

        Log($"chaos: report {Path.Combine(runDirectory, "report.md")}, plot {Path.Combine(runDirectory, "plot.svg")}");
        Log(verdictLine);
        return result;
    }

    private static List<ChaosWorkload> CreateWorkloads(ChaosOptions options, string runDirectory)
    {
        var workloads = new List<ChaosWorkload>();
        string History(string name) => Path.Combine(runDirectory, $"history-{name}.jsonl");
        if (options.Workloads.HasFlag(ChaosWorkloadKinds.Register))
        {
            workloads.Add(new RegisterWorkload(History("register"), options.ClientsPerWorkload, options.OperationsPerRegisterKey));
        }

        if (options.Workloads.HasFlag(ChaosWorkloadKinds.Counter))
        {
            workloads.Add(new CounterWorkload(History("counter")));
        }

        if (options.Workloads.HasFlag(ChaosWorkloadKinds.Set))
        {
            workloads.Add(new SetWorkload(History("set")));
        }

        if (options.Workloads.HasFlag(ChaosWorkloadKinds.Append))
        {
            workloads.Add(new AppendWorkload(History("append")));
        }

        return workloads;
    }

    private static async Task RunClientsAsync(
        ChaosOptions options, ChaosCluster cluster, List<ChaosWorkload> workloads, ChaosNemesis nemesis, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);
        var tasks = new List<Task> { Task.Run(() => nemesis.RunAsync(stop.Token), CancellationToken.None) };
        int clientNumber = 0;
        int stride = options.ClientsPerWorkload * workloads.Count;
        foreach (ChaosWorkload workload in workloads)
        {
            for (int i = 0; i < options.ClientsPerWorkload; i++)
            {
                int process = clientNumber++;
                var random = new Random((int)(options.Seed * 1_000_003) + process);
                var worker = new ChaosWorker(
                    process, stride, new ChaosClient(cluster, process % cluster.Nodes.Length, random, options.OperationTimeout), random);
                TimeSpan interval = options.RatePerWorkload == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)options.ClientsPerWorkload / options.RatePerWorkload);
                tasks.Add(Task.Run(() => RunWorkerAsync(workload, worker, interval, stop.Token), CancellationToken.None));
            }
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>One client: an operation every <paramref name="interval"/> on average (jittered), or back to back.</summary>
    private static async Task RunWorkerAsync(ChaosWorkload workload, ChaosWorker worker, TimeSpan interval, CancellationToken stop)
    {
        await using (worker.ConfigureAwait(false))
        {
            var clock = Stopwatch.StartNew();
            TimeSpan next = interval * worker.Random.NextDouble();
            while (!stop.IsCancellationRequested)
            {
                TimeSpan wait = next - clock.Elapsed;
                if (worker.ShouldBackOff)
                {
                    // After a failure, pause instead of spinning on errors while the cluster is unavailable.
                    worker.ShouldBackOff = false;
                    wait = TimeSpan.FromMilliseconds(Math.Max(wait.TotalMilliseconds, 20 + worker.Random.Next(100)));
                }

                if (wait > TimeSpan.Zero && !await ChaosDelay.WaitAsync(wait, stop).ConfigureAwait(false))
                {
                    break;
                }

                next = Max(next, clock.Elapsed - interval) + (interval * (0.5 + worker.Random.NextDouble()));
                await workload.StepAsync(worker, stop).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static async Task FinalReadsAsync(ChaosOptions options, ChaosCluster cluster, List<ChaosWorkload> workloads, CancellationToken cancellationToken)
    {
        int process = 1_000_000;
        foreach (ChaosWorkload workload in workloads)
        {
            var random = new Random((int)options.Seed + process);
            var worker = new ChaosWorker(process++, 1, new ChaosClient(cluster, 0, random, options.OperationTimeout), random);
            await using (worker.ConfigureAwait(false))
            {
                await workload.FinalReadsAsync(worker, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The verdict and its first anomalies for the console; the report has them all.</summary>
    private static string Abridged(string text)
    {
        string[] lines = text.Split('\n');
        const int Shown = 4;
        return lines.Length <= Shown ? text : string.Join('\n', lines[..Shown]) + $"\n  ... (all of them in report.md)";
    }

    private static (int Ok, int Fail, int Info) Count(IReadOnlyList<HistoryOperation> history)
    {
        int ok = 0, fail = 0, info = 0;
        foreach (HistoryOperation operation in history)
        {
            switch (operation.Outcome)
            {
                case OperationOutcome.Ok:
                    ok++;
                    break;
                case OperationOutcome.Fail:
                    fail++;
                    break;
                default:
                    info++;
                    break;
            }
        }

        return (ok, fail, info);
    }

    /// <summary>The run's verdict: valid only with every checker valid and no problem (a crash, a cluster that never recovered).</summary>
    internal static (bool Valid, string Line) Verdict(IReadOnlyList<ChaosVerdict> verdicts, IReadOnlyList<string> problems, string? unsafeMode)
    {
        var reasons = new List<string>();
        foreach (ChaosVerdict verdict in verdicts)
        {
            if (!verdict.IsValid)
            {
                reasons.Add(verdict.IsUnknown
                    ? $"{verdict.Workload}: could not be decided"
                    : string.Create(CultureInfo.InvariantCulture, $"{verdict.Workload}: {verdict.AnomalyCount} anomalies"));
            }
        }

        if (problems.Count > 0)
        {
            reasons.Add(problems.Count == 1 ? problems[0] : string.Create(CultureInfo.InvariantCulture, $"{problems.Count} problems: {problems[0]}; …"));
        }

        if (reasons.Count == 0)
        {
            return (true, "verdict: valid" + (unsafeMode is null ? string.Empty : $" (the nodes ran with --unsafe {unsafeMode} and it was NOT caught)"));
        }

        string suffix = unsafeMode is null ? string.Empty : $"; the nodes ran with --unsafe {unsafeMode}";
        return (false, $"verdict: invalid ({string.Join("; ", reasons)}{suffix})");
    }

    private static string Title(ChaosOptions options) =>
        $"Lattice chaos: {options.Nodes} nodes, nemesis {options.Nemeses}, workloads {options.Workloads}, seed {options.Seed}{(options.UnsafeMode is null ? string.Empty : ", --unsafe " + options.UnsafeMode)}";
}
