namespace Lattice.Storage;

/// <summary>A snapshot file fails its header, trailer or payload checks.</summary>
public sealed class CorruptSnapshotException : Exception
{
    public CorruptSnapshotException()
    {
    }

    public CorruptSnapshotException(string message)
        : base(message)
    {
    }

    public CorruptSnapshotException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CorruptSnapshotException(string filePath, long offset, string problem)
        : base($"snapshot is corrupt: {problem}, in {filePath} at offset {offset}")
    {
        FilePath = filePath;
        Offset = offset;
        Problem = problem;
    }

    public string FilePath { get; } = string.Empty;

    public long Offset { get; }

    public string Problem { get; } = string.Empty;
}
