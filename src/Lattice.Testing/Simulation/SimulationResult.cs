namespace Lattice.Testing.Simulation;

/// <summary>The outcome of one seed: a violation (with the trace that led to it) or a clean pass.</summary>
public sealed record SimulationResult(
    ulong Seed,
    int NodeCount,
    string? Violation,
    string Trace,
    ulong TraceHash,
    long Events,
    long VirtualTimeUnits,
    int HistoryLength,
    bool LinearizabilityUnknown)
{
    public bool Passed => Violation is null;

    public string Describe() =>
        Passed
            ? $"seed {Seed} ({NodeCount} nodes): ok, {Events} events, {HistoryLength} client ops{(LinearizabilityUnknown ? " (history check gave up: unknown)" : "")}, hash {TraceHash:x16}, t={VirtualTimeUnits}"
            : $"seed {Seed} ({NodeCount} nodes): VIOLATION: {Violation}\nreplay: --seeds 1 --seed {Seed} --nodes {NodeCount}\n" +
              $"last events:\n{Trace}";

    public string DescribeWithTrace() => Passed ? Describe() + "\nlast events:\n" + Trace : Describe();
}
