namespace Lattice.Bench.Compare;

/// <summary>What <c>lattice bench compare</c> runs: systems × workloads × client counts, each cell for a duration.</summary>
public sealed record CompareSettings
{
    public IReadOnlyList<string> Systems { get; init; } = ["lattice", "redis", "etcd"];

    public IReadOnlyList<string> Workloads { get; init; } = ["A", "B", "C", "F"];

    public IReadOnlyList<int> ClientCounts { get; init; } = [1, 16, 64];

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Seconds per no-op cell: the harness's cost settles quickly.</summary>
    public TimeSpan NoopDuration { get; init; } = TimeSpan.FromSeconds(5);

    public long RecordCount { get; init; } = 10_000;

    public int ValueSizeBytes { get; init; } = 1000;

    public int PipelineDepth { get; init; } = 1;

    public ulong Seed { get; init; } = 1;

    public bool RunNoop { get; init; } = true;

    public required string WorkDirectory { get; init; }

    public required string JsonPath { get; init; }

    public required string MarkdownPath { get; init; }

    /// <summary>The SVG files go beside the markdown: NAME-throughput.svg and NAME-latency.svg.</summary>
    public string SvgPathPrefix => Path.Combine(Path.GetDirectoryName(MarkdownPath) ?? ".", Path.GetFileNameWithoutExtension(MarkdownPath));

    public string? PidFile { get; init; }

    /// <summary>How to start a Lattice node: program then leading arguments (e.g. dotnet and lattice.dll).</summary>
    public required IReadOnlyList<string> LatticeCommand { get; init; }

    /// <summary>The command line that started the comparison, quoted in the report.</summary>
    public string Command { get; init; } = "";
}
