using System.Globalization;
using System.Text;

namespace Lattice.Server.Tests;

/// <summary>The real redis-cli against the server. Its stdout is not a terminal, so it prints replies raw.</summary>
[Collection(ServerCollections.Clients)]
public sealed class RedisCliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly ServerProcess _server = fixture.Server;

    [Fact]
    public async Task Binary_values_round_trip_through_SET_from_stdin_and_GET()
    {
        byte[] value = [.. "bin\0ary \r\n\"quoted\" \\ tab\t "u8, 0xff, 0xfe, 0x00, 0x80, .. "é\n"u8];
        await CliOkAsync("DEL", "cli:bin");
        ToolResult set = await RedisCli.RunAsync(_server.Port, ["-x", "SET", "cli:bin"], value);
        Assert.True(set.ExitCode == 0 && set.StandardOutput == "OK\n", "redis-cli -x SET: " + set.Describe());

        ToolResult get = await CliOkAsync("GET", "cli:bin");
        Assert.Equal([.. value, (byte)'\n'], get.StandardOutputBytes);
        Assert.Equal($"{value.Length}\n", (await CliOkAsync("STRLEN", "cli:bin")).StandardOutput);

        ToolResult quoted = await CliOkAsync("--no-raw", "GET", "cli:bin");
        Assert.Equal(
            "\"bin\\x00ary \\r\\n\\\"quoted\\\" \\\\ tab\\t \\xff\\xfe\\x00\\x80\\xc3\\xa9\\n\"\n",
            quoted.StandardOutput);

        Assert.Equal("OK\n", (await CliOkAsync("SET", "cli:utf8", "héllo wörld ✓")).StandardOutput);
        Assert.Equal("héllo wörld ✓\n", (await CliOkAsync("GET", "cli:utf8")).StandardOutput);
    }

    [Fact]
    public async Task Pipe_mode_mass_insertion_of_ten_thousand_commands_has_no_errors()
    {
        const int Count = 10_000;
        await CliOkAsync("FLUSHDB");
        using var protocol = new MemoryStream();
        for (int i = 0; i < Count; i++)
        {
            protocol.Write(RespClient.Encode("SET", Key(i), $"value:{i}"));
        }

        ToolResult pipe = await RedisCli.RunAsync(_server.Port, ["--pipe"], protocol.ToArray(), TimeSpan.FromSeconds(90));
        Assert.True(pipe.ExitCode == 0, "redis-cli --pipe: " + pipe.Describe());
        Assert.Contains($"errors: 0, replies: {Count}", pipe.StandardOutput, StringComparison.Ordinal);

        Assert.Equal($"{Count}\n", (await CliOkAsync("DBSIZE")).StandardOutput);
        Assert.Equal("value:0\n", (await CliOkAsync("GET", Key(0))).StandardOutput);
        Assert.Equal("value:9999\n", (await CliOkAsync("GET", Key(Count - 1))).StandardOutput);
        Assert.Equal("value:4321\nvalue:777\n", (await CliOkAsync("MGET", Key(4321), Key(777))).StandardOutput);

        static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"pipe:key:{i}");
    }

    [Fact]
    public async Task INFO_has_the_server_and_keyspace_sections()
    {
        await CliOkAsync("FLUSHDB");
        await CliOkAsync("SET", "info:a", "1");
        await CliOkAsync("SET", "info:b", "2", "EX", "100");
        ToolResult info = await CliOkAsync("INFO");
        string[] lines = info.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Contains("# Server", lines);
        Assert.Contains(lines, l => l.StartsWith("redis_version:", StringComparison.Ordinal));
        Assert.Contains($"tcp_port:{_server.Port}", lines);
        Assert.Contains("# Keyspace", lines);
        Assert.Contains(lines, l => l.StartsWith("db0:keys=2,expires=1", StringComparison.Ordinal));

        ToolResult server = await CliOkAsync("INFO", "server");
        Assert.Contains("# Server", server.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("# Keyspace", server.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CONFIG_GET_appendfsync_reports_the_policy_and_CONFIG_SET_changes_it()
    {
        Assert.Equal("appendfsync\nalways\n", (await CliOkAsync("CONFIG", "GET", "appendfsync")).StandardOutput);
        try
        {
            Assert.Equal("OK\n", (await CliOkAsync("CONFIG", "SET", "appendfsync", "everysec")).StandardOutput);
            Assert.Equal("appendfsync\neverysec\n", (await CliOkAsync("CONFIG", "GET", "appendfsync")).StandardOutput);
        }
        finally
        {
            await RedisCli.RunAsync(_server.Port, "CONFIG", "SET", "appendfsync", "always");
        }

        Assert.Equal("appendfsync\nalways\n", (await CliOkAsync("CONFIG", "GET", "appendfsync")).StandardOutput);
    }

    [Fact]
    public async Task An_unknown_command_is_an_ERR_unknown_command_error()
    {
        ToolResult result = await RedisCli.RunAsync(_server.Port, "FOOBAR", "a", "b");
        Assert.True(
            result.StandardOutput.StartsWith("ERR unknown command 'FOOBAR'", StringComparison.Ordinal),
            "FOOBAR a b: " + result.Describe());
        Assert.Contains("'a' 'b'", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_against_the_wrong_type_are_WRONGTYPE_errors()
    {
        const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
        await CliOkAsync("DEL", "cli:list", "cli:str");
        await CliOkAsync("RPUSH", "cli:list", "a", "b");
        await CliOkAsync("SET", "cli:str", "x");

        foreach (string[] command in new[]
        {
            new[] { "GET", "cli:list" },
            ["INCR", "cli:list"],
            ["HSET", "cli:str", "f", "v"],
            ["SADD", "cli:list", "m"],
            ["ZADD", "cli:str", "1", "m"],
            ["LPUSH", "cli:str", "a"],
        })
        {
            ToolResult result = await RedisCli.RunAsync(_server.Port, command);
            Assert.True(result.StandardOutput.StartsWith(WrongType, StringComparison.Ordinal), string.Join(' ', command) + ": " + result.Describe());
        }

        Assert.Equal("a\nb\n", (await CliOkAsync("LRANGE", "cli:list", "0", "-1")).StandardOutput);
    }

    /// <summary>Runs redis-cli and fails the test on a non-zero exit or an error reply.</summary>
    private async Task<ToolResult> CliOkAsync(params string[] args)
    {
        ToolResult result = await RedisCli.RunAsync(_server.Port, args);
        string output = result.StandardOutput;
        bool errorReply = output.StartsWith("ERR", StringComparison.Ordinal) || output.StartsWith("WRONGTYPE", StringComparison.Ordinal)
            || output.StartsWith("(error)", StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0 && !errorReply, $"redis-cli {string.Join(' ', args)}: {result.Describe()}");
        return result;
    }
}
