namespace Lattice.Storage;

/// <summary>
/// The write-ahead log is damaged in a way recovery must not repair on its own (a bad record in the middle of the
/// log, a bad segment header, a missing segment, an index gap). Recovery changes no file before throwing it.
/// </summary>
public sealed class CorruptLogException : Exception
{
    public CorruptLogException()
    {
    }

    public CorruptLogException(string message)
        : base(message)
    {
    }

    public CorruptLogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CorruptLogException(string filePath, long offset, string problem)
        : base($"write-ahead log is corrupt: {problem}, in {filePath} at offset {offset}")
    {
        FilePath = filePath;
        Offset = offset;
        Problem = problem;
    }

    public string FilePath { get; } = string.Empty;

    public long Offset { get; }

    public string Problem { get; } = string.Empty;
}
