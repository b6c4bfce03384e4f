namespace Lattice.Testing.Chaos;

/// <summary>What a chaos run does: the cluster, the faults, the workloads, and where results go.</summary>
public sealed class ChaosOptions
{
    public const int MaxNodes = 9;

    /// <summary>How many nodes the cluster starts with (3..9; default 5).</summary>
    public int Nodes { get; set; } = 5;

    /// <summary>How long clients run and faults are injected; healing and final reads come after.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);

    public ChaosNemesisKinds Nemeses { get; set; } = ChaosNemesisKinds.All;

    public ChaosWorkloadKinds Workloads { get; set; } = ChaosWorkloadKinds.All;

    /// <summary>Concurrent clients per workload.</summary>
    public int ClientsPerWorkload { get; set; } = 4;

    /// <summary>
    /// Operations per second each workload aims at, shared by its clients (0: as fast as they can). A bound keeps
    /// long runs' histories, and the checkers' memory, in proportion to the run's length.
    /// </summary>
    public int RatePerWorkload { get; set; } = 100;

    /// <summary>Passed to every node as --unsafe (stale-reads, early-ack): the run is expected to be invalid.</summary>
    public string? UnsafeMode { get; set; }

    public ulong Seed { get; set; } = 1;

    /// <summary>Folder for this run's history, report, plot and node logs (and the nodes' data).</summary>
    public string OutputDirectory { get; set; } = "chaos-runs";

    /// <summary>Use the transport's fault seam even where network namespaces are available.</summary>
    public bool ForceFaultSeam { get; set; }

    /// <summary>The program that runs `lattice` (the apphost, or dotnet), and arguments before `server`.</summary>
    public string NodeExecutable { get; set; } = "dotnet";

    public IReadOnlyList<string> NodeExecutableArguments { get; set; } = [];

    /// <summary>Quiet time between faults and how long a fault lasts.</summary>
    public TimeSpan QuietTime { get; set; } = TimeSpan.FromSeconds(4);

    public TimeSpan FaultTime { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Client operations give up (and count as indeterminate) after this long.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Operations per register key before a client moves to a fresh key, which bounds the checker's search.</summary>
    public int OperationsPerRegisterKey { get; set; } = 150;

    public void Validate()
    {
        if (Nodes is < 3 or > MaxNodes)
        {
            throw new ArgumentException($"--nodes must be 3..{MaxNodes}, not {Nodes}");
        }

        if (Duration < TimeSpan.FromSeconds(5) || Duration > TimeSpan.FromDays(7))
        {
            throw new ArgumentException("--time must be 5 seconds .. 7 days");
        }

        if (Nemeses == ChaosNemesisKinds.None && UnsafeMode is not null)
        {
            throw new ArgumentException("--unsafe needs faults to show itself; give --nemesis");
        }

        if (Workloads == ChaosWorkloadKinds.None)
        {
            throw new ArgumentException("--workload must name at least one workload");
        }

        if (ClientsPerWorkload is < 1 or > 64)
        {
            throw new ArgumentException("--clients must be 1..64 per workload");
        }

        if (RatePerWorkload is < 0 or > 1_000_000)
        {
            throw new ArgumentException("--rate must be 0 (unlimited) .. 1000000 operations per second per workload");
        }

        if (UnsafeMode is not null && UnsafeMode is not ("stale-reads" or "early-ack"))
        {
            throw new ArgumentException($"--unsafe must be stale-reads or early-ack, not '{UnsafeMode}'");
        }
    }
}
