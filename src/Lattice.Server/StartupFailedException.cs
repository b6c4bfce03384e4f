namespace Lattice.Server;

/// <summary>The node refuses to start (damaged data, inconsistent files); the message says what and where.</summary>
public sealed class StartupFailedException : Exception
{
    public StartupFailedException()
    {
    }

    public StartupFailedException(string message)
        : base(message)
    {
    }

    public StartupFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
