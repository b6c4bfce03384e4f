namespace Lattice.Testing.Chaos;

/// <summary>The outcome of a chaos run. <see cref="VerdictLine"/> is the run's last line of output.</summary>
public sealed record ChaosResult(
    bool IsValid,
    string VerdictLine,
    string RunDirectory,
    string NetworkDescription,
    IReadOnlyList<ChaosVerdict> Verdicts,
    IReadOnlyList<FaultWindow> Faults,
    IReadOnlyList<string> Problems,
    IReadOnlyDictionary<string, (int Ok, int Fail, int Info)> OperationCounts);
