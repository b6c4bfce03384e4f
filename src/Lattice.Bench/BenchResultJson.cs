using System.Text.Json;
using Lattice.Bench.Workloads;

namespace Lattice.Bench;

/// <summary>Writes results as JSON (latencies in milliseconds), one object per run, for the compare report and for tools.</summary>
public static class BenchResultJson
{
    public static void Write(Stream output, IReadOnlyList<BenchResult> results, string? noteOnMachine = null)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        if (noteOnMachine is not null)
        {
            json.WriteString("machine", noteOnMachine);
        }

        json.WriteStartArray("runs");
        foreach (BenchResult result in results)
        {
            WriteRun(json, result);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRun(Utf8JsonWriter json, BenchResult result)
    {
        json.WriteStartObject();
        json.WriteString("target", result.Target);
        json.WriteString("workload", result.Workload);
        json.WriteString("distribution", BenchReport.Distribution(result.Distribution));
        json.WriteNumber("clients", result.Clients);
        json.WriteNumber("pipeline", result.PipelineDepth);
        json.WriteNumber("targetOpsPerSecond", result.TargetOpsPerSecond);
        json.WriteNumber("records", result.RecordCount);
        json.WriteNumber("valueBytes", result.ValueSizeBytes);
        json.WriteNumber("operations", result.Operations);
        json.WriteNumber("elapsedSeconds", Math.Round(result.ElapsedSeconds, 3));
        json.WriteNumber("opsPerSecond", Math.Round(result.OpsPerSecond, 1));
        json.WriteNumber("notFound", result.NotFound);
        json.WriteNumber("conflicts", result.Conflicts);
        json.WriteNumber("errors", result.Errors);
        json.WritePropertyName("latencyMs");
        WriteLatency(json, result.Latency);
        json.WriteStartObject("latencyMsByOperation");
        for (int k = 0; k < result.LatencyByKind.Count; k++)
        {
            if (result.LatencyByKind[k] is { } kind)
            {
                json.WritePropertyName(OperationKinds.Name((OperationKind)k));
                WriteLatency(json, kind);
            }
        }

        json.WriteEndObject();
        json.WriteString("command", result.Command);
        json.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter json, LatencySummary latency)
    {
        json.WriteStartObject();
        json.WriteNumber("count", latency.Count);
        json.WriteNumber("mean", Math.Round(latency.MeanNs / 1e6, 4));
        json.WriteNumber("p50", latency.P50Ns / 1e6);
        json.WriteNumber("p90", latency.P90Ns / 1e6);
        json.WriteNumber("p99", latency.P99Ns / 1e6);
        json.WriteNumber("p99.9", latency.P999Ns / 1e6);
        json.WriteNumber("max", latency.MaxNs / 1e6);
        json.WriteEndObject();
    }
}
