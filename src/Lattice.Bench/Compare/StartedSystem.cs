using Lattice.Bench.Drivers;

namespace Lattice.Bench.Compare;

/// <summary>A system the comparison started: its client endpoints and its processes, all stopped on dispose.</summary>
public sealed class StartedSystem(string name, IReadOnlyList<BenchEndpoint> endpoints, IReadOnlyList<ChildProcess> processes, string description) : IDisposable
{
    public string Name => name;

    public IReadOnlyList<BenchEndpoint> Endpoints => endpoints;

    public IReadOnlyList<ChildProcess> Processes => processes;

    /// <summary>How it was started (the command lines), for the report.</summary>
    public string Description => description;

    public void Dispose()
    {
        foreach (ChildProcess process in processes)
        {
            process.Dispose();
        }
    }
}
