namespace Lattice.Server.Tests;

/// <summary>How a test wants its <see cref="ServerProcess"/> started.</summary>
public sealed class ServerStartOptions
{
    /// <summary>An existing data directory to use (for restarts); null makes a temp one the process deletes.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>--appendfsync; null leaves the server's default (always).</summary>
    public string? AppendFsync { get; init; }

    /// <summary>Contents of a config file passed with --config (written next to the data directory); null for none.</summary>
    public string? ConfigFileContents { get; init; }

    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>A fixed client port (cluster members' ports are chosen up front); null picks a free one.</summary>
    public int? Port { get; init; }

    /// <summary>How long the server may take to answer PING.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
