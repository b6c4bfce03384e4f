namespace Lattice.Testing.History;

/// <summary>How a client saw an operation end.</summary>
public enum OperationOutcome
{
    /// <summary>The operation took effect, and any value it returned is known.</summary>
    Ok,

    /// <summary>The operation certainly did not take effect; checkers ignore it.</summary>
    Fail,

    /// <summary>Indeterminate (timeout, crash): it may have taken effect at any time after its invoke, or never.</summary>
    Info,
}
