namespace Lattice.Server.Tests;

/// <summary>The writes to one key, in the order they were sent. One writer owns a key, so this order is total.</summary>
public sealed class KeyHistory(string key, WriteKind kind)
{
    private readonly List<AttemptedWrite> _writes = [];

    public string Key { get; } = key;

    public WriteKind Kind { get; } = kind;

    public IReadOnlyList<AttemptedWrite> Writes
    {
        get
        {
            lock (_writes)
            {
                return [.. _writes];
            }
        }
    }

    public AttemptedWrite Attempt(string value)
    {
        var write = new AttemptedWrite(value);
        lock (_writes)
        {
            _writes.Add(write);
        }

        return write;
    }
}
