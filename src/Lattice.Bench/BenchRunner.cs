using Lattice.Bench.Drivers;
using Lattice.Bench.Workloads;
using Lattice.Common;

namespace Lattice.Bench;

/// <summary>
/// Runs the load phase (insert the records) and the transaction phase (the workload's mix for a duration or an
/// operation count) against a target, and merges the clients' histograms into a <see cref="BenchResult"/>.
/// </summary>
public sealed class BenchRunner(TimeProvider time, TextWriter? progressOutput = null)
{
    /// <summary>Past the planned end, clients still running are cancelled (a hung store must not hang the run).</summary>
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(30);

    /// <summary>Inserts records 0..RecordCount-1, closed loop, with <see cref="BenchSettings.LoadClients"/> clients. Throws if any insert fails.</summary>
    public async Task LoadAsync(IBenchTarget target, BenchSettings settings, CancellationToken cancellationToken)
    {
        int loaders = (int)Math.Max(1, Math.Min(settings.LoadClients, settings.RecordCount));
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long[] loadedPerClient = new long[loaders];
        Task progress = progressOutput is null
            ? Task.CompletedTask
            : new ProgressLine(progressOutput, time).RunAsync($"[load {target.Name}]", () => Sum(loadedPerClient), progressStop.Token);
        var tasks = new Task[loaders];
        for (int c = 0; c < loaders; c++)
        {
            int client = c;
            tasks[c] = Task.Run(() => LoadRangeAsync(target, settings, client, loaders, loadedPerClient, cancellationToken), cancellationToken);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            await progressStop.CancelAsync().ConfigureAwait(false);
            await progress.ConfigureAwait(false);
        }
    }

    public async Task<BenchResult> RunAsync(IBenchTarget target, BenchSettings settings, CancellationToken cancellationToken)
    {
        Invariant.Check(settings.Clients >= 1, "a run needs at least one client");
        var inserts = new InsertSequence(settings.RecordCount);
        BenchClient[] clients = CreateClients(target, settings, inserts);
        long start = time.GetTimestamp();
        long measureFrom = start + (long)(settings.Warmup.TotalSeconds * time.TimestampFrequency);
        long end = settings.OperationCount > 0 ? long.MaxValue : measureFrom + (long)(settings.Duration.TotalSeconds * time.TimestampFrequency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.OperationCount == 0)
        {
            stop.CancelAfter(settings.Warmup + settings.Duration + Overrun);
        }

        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task progress = progressOutput is null
            ? Task.CompletedTask
            : new ProgressLine(progressOutput, time).RunAsync($"[{target.Name} {settings.Workload.Name}]", () => SumCompleted(clients), progressStop.Token);
        var tasks = new Task[clients.Length];
        for (int c = 0; c < clients.Length; c++)
        {
            BenchClient client = clients[c];
            long budget = settings.OperationCount > 0
                ? (settings.OperationCount / clients.Length) + (c < settings.OperationCount % clients.Length ? 1 : 0)
                : long.MaxValue;

            // Task.Run: a driver that completes synchronously (noop) must not run its whole loop on this thread.
            tasks[c] = Task.Run(() => client.RunAsync(target, start, measureFrom, end, budget, stop.Token), CancellationToken.None);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        long finished = time.GetTimestamp();
        await progressStop.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        return Summarize(target, settings, clients, time.GetElapsedTime(Math.Min(measureFrom, finished), finished), inserts.RecordCount);
    }

    private static async Task LoadRangeAsync(IBenchTarget target, BenchSettings settings, int client, int loaders, long[] loaded, CancellationToken cancellationToken)
    {
        IBenchConnection connection = await target.ConnectAsync(client, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new OperationBatch(target.PipelineDepth);
            long record = client;
            while (record < settings.RecordCount)
            {
                batch.Clear();
                while (batch.Count < batch.Capacity && record < settings.RecordCount)
                {
                    batch.Add(OperationKind.Insert, record);
                    record += loaders;
                }

                await connection.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    if (batch.Outcomes[i] != OperationOutcome.Ok)
                    {
                        throw new InvalidOperationException($"load: inserting record {batch.Records[i]} into {target.Name} failed ({batch.Outcomes[i]})");
                    }
                }

                Volatile.Write(ref loaded[client], loaded[client] + batch.Count);
            }
        }
    }

    private BenchClient[] CreateClients(IBenchTarget target, BenchSettings settings, InsertSequence inserts)
    {
        WorkloadSpec workload = settings.Workload;
        long keySpace = workload.Inserts ? settings.RecordCount + (long)(settings.RecordCount * settings.ExpectedInsertGrowth) : settings.RecordCount;

        // The O(n) zeta sum for "latest" is done once and shared, not once per client.
        double latestZeta = workload.Distribution == KeyDistribution.Latest ? ZipfianGenerator.Zeta(settings.RecordCount, ZipfianGenerator.YcsbTheta) : 0;
        var clients = new BenchClient[settings.Clients];
        for (int c = 0; c < clients.Length; c++)
        {
            IKeyGenerator keys = workload.Distribution switch
            {
                KeyDistribution.Zipfian => new ScrambledZipfianGenerator(Math.Max(1, keySpace)),
                KeyDistribution.Uniform => new UniformKeyGenerator(),
                _ => new LatestKeyGenerator(Math.Max(1, settings.RecordCount), latestZeta),
            };
            clients[c] = new BenchClient(c, settings, keys, inserts, target.PipelineDepth, time);
        }

        return clients;
    }

    private static BenchResult Summarize(IBenchTarget target, BenchSettings settings, BenchClient[] clients, TimeSpan elapsed, long recordsAtEnd)
    {
        var overall = new LatencyHistogram();
        var byKind = new LatencyHistogram[OperationKinds.Count];
        long notFound = 0, conflicts = 0, errors = 0, operations = 0;
        for (int k = 0; k < byKind.Length; k++)
        {
            byKind[k] = new LatencyHistogram();
        }

        foreach (BenchClient client in clients)
        {
            for (int k = 0; k < byKind.Length; k++)
            {
                byKind[k].Add(client.Histograms[k]);
            }

            operations += client.Measured;
            notFound += client.NotFound;
            conflicts += client.Conflicts;
            errors += client.Errors;
        }

        var kindSummaries = new LatencySummary?[byKind.Length];
        for (int k = 0; k < byKind.Length; k++)
        {
            overall.Add(byKind[k]);
            kindSummaries[k] = byKind[k].Count > 0 ? LatencySummary.Of(byKind[k]) : null;
        }

        return new BenchResult
        {
            Target = target.Name,
            Workload = settings.Workload.Name,
            Distribution = settings.Workload.Distribution,
            Clients = settings.Clients,
            PipelineDepth = target.PipelineDepth,
            TargetOpsPerSecond = settings.TargetOpsPerSecond,
            RecordCount = recordsAtEnd,
            ValueSizeBytes = settings.ValueSizeBytes,
            Operations = operations,
            ElapsedSeconds = elapsed.TotalSeconds,
            Latency = LatencySummary.Of(overall),
            LatencyByKind = kindSummaries,
            NotFound = notFound,
            Conflicts = conflicts,
            Errors = errors,
        };
    }

    private static long SumCompleted(BenchClient[] clients)
    {
        long total = 0;
        foreach (BenchClient client in clients)
        {
            total += client.Completed;
        }

        return total;
    }

    private static long Sum(long[] counts)
    {
        long total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            total += Volatile.Read(ref counts[i]);
        }

        return total;
    }
}
