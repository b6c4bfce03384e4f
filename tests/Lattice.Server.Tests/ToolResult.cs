using System.Text;

namespace Lattice.Server.Tests;

/// <summary>What a finished helper process (redis-cli, python) left behind.</summary>
public sealed class ToolResult(int exitCode, byte[] standardOutput, string standardError)
{
    public int ExitCode { get; } = exitCode;

    public byte[] StandardOutputBytes { get; } = standardOutput;

    public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes);

    public string StandardError { get; } = standardError;

    /// <summary>Both streams, for failure messages.</summary>
    public string Describe() => $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
