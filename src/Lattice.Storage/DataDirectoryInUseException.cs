namespace Lattice.Storage;

/// <summary>Another process (or another open log in this one) holds the data directory's LOCK file.</summary>
public sealed class DataDirectoryInUseException : IOException
{
    public DataDirectoryInUseException()
    {
    }

    public DataDirectoryInUseException(string message)
        : base(message)
    {
    }

    public DataDirectoryInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DataDirectoryInUseException(string dataDirectory, IOException innerException)
        : base($"data directory {dataDirectory} is in use by another process ({innerException?.Message})", innerException)
    {
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; } = string.Empty;
}
