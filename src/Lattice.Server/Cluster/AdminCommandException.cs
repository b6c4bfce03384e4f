namespace Lattice.Server.Cluster;

/// <summary>A node answered an administration command with an error reply.</summary>
public sealed class AdminCommandException(string message) : Exception(message)
{
    public AdminCommandException()
        : this("the node refused the command")
    {
    }

    public AdminCommandException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}
