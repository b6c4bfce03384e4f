using System.Globalization;
using Lattice.Bench.Drivers;
using Lattice.Bench.Workloads;

namespace Lattice.Bench.Compare;

/// <summary>
/// Runs the comparison: for each system, start it, load the records once, run every workload at every client
/// count (in the order given), stop it; then the no-op driver on the same cells; then write JSON, markdown and SVG.
/// Every process is stopped by pid when its system is done, and on failure or cancellation.
/// </summary>
public sealed class CompareRunner(CompareSettings settings, TextWriter log, TextWriter? progress, TimeProvider time)
{
    public async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var descriptions = new Dictionary<string, string>(StringComparer.Ordinal);
        var launcher = new SystemLauncher(settings.WorkDirectory, settings.PidFile, settings.LatticeCommand, time);
        foreach (string name in settings.Systems)
        {
            log.WriteLine($"== {name}: starting");
            using StartedSystem system = await launcher.StartAsync(name, cancellationToken).ConfigureAwait(false);
            descriptions[name] = system.Description;
            IBenchTarget target = BenchTargets.Create(name, system.Endpoints, name == "etcd" ? 1 : settings.PipelineDepth, settings.ValueSizeBytes, settings.Seed, time)!;
            await RunCellsAsync(target, system.Endpoints, results, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"== {name}: stopping");
        }

        if (settings.RunNoop)
        {
            log.WriteLine("== noop (harness overhead)");
            await RunCellsAsync(new NoopTarget(time), [], results, cancellationToken).ConfigureAwait(false);
        }

        using (FileStream json = File.Create(settings.JsonPath))
        {
            BenchResultJson.Write(json, results, $"{Environment.ProcessorCount} cores, {Environment.OSVersion}");
        }

        File.WriteAllText(settings.MarkdownPath, CompareMarkdown.Render(settings, results, descriptions, time.GetUtcNow()));
        File.WriteAllText(settings.SvgPathPrefix + "-throughput.svg", CompareSvg.Throughput(settings, results));
        File.WriteAllText(settings.SvgPathPrefix + "-latency.svg", CompareSvg.LatencyAgainstThroughput(settings, results));
        log.WriteLine($"wrote {settings.JsonPath}, {settings.MarkdownPath}, {settings.SvgPathPrefix}-throughput.svg and -latency.svg");
        return results;
    }

    private async Task RunCellsAsync(IBenchTarget target, IReadOnlyList<BenchEndpoint> endpoints, List<BenchResult> results, CancellationToken cancellationToken)
    {
        bool noop = target is NoopTarget;
        var runner = new BenchRunner(time, progress);
        bool loaded = noop;
        foreach (string workloadName in settings.Workloads)
        {
            WorkloadSpec workload = CoreWorkloads.Find(workloadName)!;
            foreach (int clients in settings.ClientCounts)
            {
                var cell = new BenchSettings
                {
                    Workload = workload,
                    Clients = clients,
                    Duration = noop ? settings.NoopDuration : settings.Duration,
                    Warmup = noop ? TimeSpan.FromSeconds(1) : settings.Warmup,
                    RecordCount = settings.RecordCount,
                    ValueSizeBytes = settings.ValueSizeBytes,
                    Seed = settings.Seed,
                };
                if (!loaded)
                {
                    long started = time.GetTimestamp();
                    await runner.LoadAsync(target, cell, cancellationToken).ConfigureAwait(false);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   loaded {cell.RecordCount} records in {time.GetElapsedTime(started).TotalSeconds:F1} s"));
                    loaded = true;
                }

                BenchResult result = await runner.RunAsync(target, cell, cancellationToken).ConfigureAwait(false);
                result = result with { Command = CellCommand(target, endpoints, cell) };
                results.Add(result);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {target.Name} {workload.Name} clients={clients}: {BenchReport.FinalLine(result)}{(result.Errors > 0 ? $" (errors: {result.Errors})" : "")}"));
            }
        }
    }

    private string CellCommand(IBenchTarget target, IReadOnlyList<BenchEndpoint> endpoints, BenchSettings cell)
    {
        string endpointList = endpoints.Count == 0 ? "" : $" --endpoints {string.Join(',', endpoints)}";
        string pipeline = target.PipelineDepth > 1 ? $" --pipeline {target.PipelineDepth}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"./lattice bench --target {target.Name}{endpointList} --workload {cell.Workload.Name} --clients {cell.Clients} --duration {cell.Duration.TotalSeconds:F0} --warmup {cell.Warmup.TotalSeconds:F0} --records {cell.RecordCount} --value-size {cell.ValueSizeBytes}{pipeline} --seed {cell.Seed} --skip-load");
    }
}
