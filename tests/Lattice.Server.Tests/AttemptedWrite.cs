namespace Lattice.Server.Tests;

/// <summary>One write sent to the server; <see cref="Acknowledged"/> once its success reply was read.</summary>
public sealed class AttemptedWrite(string value)
{
    private volatile bool _acknowledged;

    /// <summary>The value written (SET, RPUSH) or the count the write should produce (INCR).</summary>
    public string Value { get; } = value;

    public bool Acknowledged => _acknowledged;

    public void Acknowledge() => _acknowledged = true;
}
