namespace Lattice.Server.Tests;

/// <summary>Runs the real <c>redis-cli</c> against a port. A missing redis-cli fails the test: it is never skipped.</summary>
public static class RedisCli
{
    public static string Path =>
        ToolRunner.FindOnPath("redis-cli")
        ?? throw new Xunit.Sdk.XunitException(
            "redis-cli is not installed: install redis-tools (apt-get install -y redis-tools); scripts/test.sh does this");

    /// <summary>redis-cli -p PORT args... ; stdout is not a terminal, so replies come out raw (no quoting, no "(error)").</summary>
    public static Task<ToolResult> RunAsync(int port, IEnumerable<string> args, byte[]? standardInput = null, TimeSpan? timeout = null) =>
        ToolRunner.RunAsync(Path, ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args], standardInput, timeout);

    public static Task<ToolResult> RunAsync(int port, params string[] args) => RunAsync(port, (IEnumerable<string>)args);
}
