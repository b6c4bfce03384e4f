namespace Lattice.Testing.Linearizability;

/// <summary>The outcome of checking one key's sub-history.</summary>
internal sealed record KeyVerdict(bool IsLinearizable, bool IsUnknown, string Explanation, long StepsTaken);
