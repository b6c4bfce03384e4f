using Lattice.Server;

namespace Lattice.Server.Tests.Options;

public sealed class ServerOptionsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "lattice-conf-" + Guid.NewGuid().ToString("N") + ".conf");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Config_file_sets_values_with_comments_quotes_and_size_suffixes()
    {
        File.WriteAllText(_file, """
            # a comment
            port 7400
            appendfsync "everysec"
            proto-max-bulk-len 1mb
            client-query-buffer-limit 2gb
            snapshot-log-bytes 10k

            maxclients 12
            """);
        var options = new ServerOptions();
        Assert.Null(options.LoadFile(_file));
        Assert.Equal(7400, options.Port);
        Assert.Equal(AppendFsyncPolicy.EverySec, options.AppendFsync);
        Assert.Equal(1024 * 1024, options.Limits.MaxBulkBytes);
        Assert.Equal(2L * 1024 * 1024 * 1024, options.Limits.MaxQueryBufferBytes);
        Assert.Equal(10_000, options.SnapshotLogBytes);
        Assert.Equal(12, options.MaxClients);
        Assert.Equal(Path.GetFullPath(_file), options.ConfigFile);
    }

    [Theory]
    [InlineData("nosuch 1", "nosuch")]
    [InlineData("port 70000", "Invalid argument '70000' for 'port'")]
    [InlineData("appendfsync sometimes", "'always', 'everysec' or 'no'")]
    [InlineData("proto-max-bulk-len lots", "Invalid argument 'lots'")]
    [InlineData("appendonly no", "cannot be turned off")]
    public void Bad_config_lines_are_refused_with_file_line_and_reason(string line, string expected)
    {
        File.WriteAllText(_file, "port 7400\n" + line + "\n");
        string? error = new ServerOptions().LoadFile(_file);
        Assert.NotNull(error);
        Assert.Contains($"{_file}:2:", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_config_file_is_a_clear_error()
    {
        string? error = new ServerOptions().LoadFile(_file + ".missing");
        Assert.NotNull(error);
        Assert.Contains("cannot read config file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixed_settings_cannot_change_at_runtime_but_can_at_start()
    {
        var options = new ServerOptions();
        Assert.Null(options.TrySet("port", "7500", atRuntime: false));
        Assert.Contains("can't set immutable config", options.TrySet("port", "7600", atRuntime: true), StringComparison.Ordinal);
        Assert.Equal(7500, options.Port);
    }

    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("64kb", 65536L)]
    [InlineData("1k", 1000L)]
    [InlineData("3MB", 3L * 1024 * 1024)]
    [InlineData("1g", 1_000_000_000L)]
    public void Sizes_parse_like_redis_conf(string text, long bytes)
    {
        Assert.True(ConfigValue.TryParseBytes(text, out long parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.5mb")]
    [InlineData("99999999999gb")]
    public void Bad_sizes_are_refused(string text) => Assert.False(ConfigValue.TryParseBytes(text, out _));
}
