using System.Globalization;
using System.Text;

namespace Lattice.Server.Tests;

/// <summary>The wire protocol through the raw client: pipelining, inline commands, RESP3, errors and limits.</summary>
[Collection(ServerCollections.Clients)]
public sealed class ProtocolTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private readonly ServerProcess _server = fixture.Server;

    [Fact]
    public async Task A_hundred_pipelined_commands_in_one_write_get_a_hundred_replies_in_order()
    {
        using RespClient client = await _server.ConnectAsync();
        await client.OkCommandAsync("DEL", "pl:ctr");
        using var batch = new MemoryStream();
        for (int i = 0; i < 100; i++)
        {
            batch.Write(Command(i));
        }

        await client.SendRawAsync(batch.ToArray());
        long increments = 0;
        for (int i = 0; i < 100; i++)
        {
            RespReply reply = await client.ReadReplyAsync();
            switch (i % 3)
            {
                case 0:
                    Assert.True(reply.Text == "OK", $"reply {i} to SET: {reply}");
                    break;
                case 1:
                    Assert.True(reply.Text == $"v{i - 1}", $"reply {i} to GET pl:{i - 1}: {reply}");
                    break;
                default:
                    Assert.True(reply.Kind == RespKind.Integer && reply.Integer == ++increments, $"reply {i} to INCR: {reply}");
                    break;
            }
        }

        Assert.Equal("PONG", (await client.CommandAsync("PING")).Text);

        static byte[] Command(int i) => (i % 3) switch
        {
            0 => RespClient.Encode("SET", $"pl:{i}", $"v{i}"),
            1 => RespClient.Encode("GET", $"pl:{i - 1}"),
            _ => RespClient.Encode("INCR", "pl:ctr"),
        };
    }

    [Fact]
    public async Task Inline_commands_work_alone_pipelined_and_with_quotes()
    {
        using RespClient client = await _server.ConnectAsync();
        await client.SendRawAsync("PING\r\n");
        Assert.Equal("PONG", (await client.ReadReplyAsync()).Text);

        await client.SendRawAsync("SET a b\r\n");
        Assert.Equal("OK", (await client.ReadReplyAsync()).Text);

        await client.SendRawAsync("GET a\r\nSET inline:q \"hello world\\n\"\r\nGET inline:q\nSTRLEN inline:q\r\n");
        RespReply get = await client.ReadReplyAsync();
        Assert.True(get.Kind == RespKind.BulkString && get.Text == "b", $"GET a: {get}");
        Assert.Equal("OK", (await client.ReadReplyAsync()).Text);
        Assert.Equal("hello world\n", (await client.ReadReplyAsync()).Text);
        Assert.Equal(12, (await client.ReadReplyAsync()).Integer);
    }

    [Fact]
    public async Task Pipelined_reads_around_an_inline_command_with_escapes_see_it_run_once()
    {
        // The look-ahead that loads pipelined reads' keys must stop at an inline request: parsing one unescapes it in place.
        using RespClient client = await _server.ConnectAsync();
        await client.SendRawAsync(
            "*2\r\n$3\r\nGET\r\n$6\r\npeek:A\r\n" +
            "SET \"peek:\\x41\" \"v\\x42\"\r\n" +
            "*2\r\n$3\r\nGET\r\n$6\r\npeek:A\r\n*3\r\n$4\r\nMGET\r\n$6\r\npeek:A\r\n$9\r\npeek:\\x41\r\n");
        RespReply before = await client.ReadReplyAsync();
        Assert.True(before.IsNull, $"GET before the SET: {before}");
        Assert.Equal("OK", (await client.ReadReplyAsync()).Text);
        Assert.Equal("vB", (await client.ReadReplyAsync()).Text);
        RespReply both = await client.ReadReplyAsync();
        Assert.True(both.Items is [{ Text: "vB" }, { IsNull: true }], $"MGET: {both}");
    }

    [Fact]
    public async Task HELLO_3_switches_the_connection_to_RESP3_and_HELLO_2_back()
    {
        using RespClient client = await _server.ConnectAsync();
        await client.OkCommandAsync("DEL", "resp3:h");
        await client.OkCommandAsync("HSET", "resp3:h", "f1", "v1", "f2", "v2");

        RespReply hello = await client.CommandAsync("HELLO", "3");
        Assert.True(hello.Kind == RespKind.Map, $"HELLO 3 should answer a map, got {hello}");
        IReadOnlyDictionary<string, RespReply> info = hello.AsMap();
        Assert.True(info.TryGetValue("proto", out RespReply? proto) && proto.Integer == 3, $"HELLO 3: {hello}");
        Assert.True(info.ContainsKey("server") && info.ContainsKey("version"), $"HELLO 3: {hello}");

        RespReply all = await client.CommandAsync("HGETALL", "resp3:h");
        Assert.True(all.Kind == RespKind.Map, $"HGETALL under RESP3 should be a map (%), got {all}");
        IReadOnlyDictionary<string, RespReply> fields = all.AsMap();
        Assert.Equal(2, fields.Count);
        Assert.Equal("v1", fields["f1"].Text);
        Assert.Equal("v2", fields["f2"].Text);

        RespReply missing = await client.CommandAsync("GET", "resp3:missing");
        Assert.True(missing.IsNull, $"GET of a missing key: {missing}");

        RespReply back = await client.CommandAsync("HELLO", "2");
        Assert.True(back.Kind == RespKind.Array, $"HELLO 2 should answer a flat array, got {back}");
        RespReply flat = await client.CommandAsync("HGETALL", "resp3:h");
        Assert.True(flat.Kind == RespKind.Array && flat.Items.Count == 4, $"HGETALL under RESP2 should be a 4-element array, got {flat}");
    }

    [Fact]
    public async Task HELLO_with_an_unsupported_version_is_a_NOPROTO_error()
    {
        using RespClient client = await _server.ConnectAsync();
        RespReply reply = await client.CommandAsync("HELLO", "4");
        Assert.True(reply.IsError && reply.Text.StartsWith("NOPROTO", StringComparison.Ordinal), $"HELLO 4: {reply}");
        Assert.Equal("PONG", (await client.CommandAsync("PING")).Text);
    }

    [Theory]
    [InlineData("*1\r\n$-5\r\n")]
    [InlineData("*1\r\n$abc\r\n")]
    [InlineData("*abc\r\n")]
    [InlineData("*2\r\n$4\r\nECHO\r\n:12\r\n")]
    [InlineData("SET \"unbalanced\r\n")]
    public async Task Malformed_input_gets_a_protocol_error_and_only_that_connection_is_closed(string malformed)
    {
        using RespClient bystander = await _server.ConnectAsync();
        Assert.Equal("PONG", (await bystander.CommandAsync("PING")).Text);

        using RespClient bad = await _server.ConnectAsync();
        await bad.SendRawAsync(malformed);
        RespReply reply = await bad.ReadReplyAsync();
        Assert.True(
            reply.IsError && reply.Text.StartsWith("ERR Protocol error: ", StringComparison.Ordinal),
            $"{Printable(malformed)} answered {reply}");
        Assert.True(await bad.WaitForServerCloseAsync(TimeSpan.FromSeconds(5)), $"connection stayed open after {Printable(malformed)}");

        Assert.Equal("PONG", (await bystander.CommandAsync("PING")).Text);
        Assert.Equal("OK", (await bystander.CommandAsync("SET", "bystander", "alive")).Text);
        Assert.Equal("alive", (await bystander.CommandAsync("GET", "bystander")).Text);
    }

    [Fact]
    public async Task A_bulk_over_proto_max_bulk_len_from_the_config_file_is_rejected()
    {
        const int Max = ProtocolServerFixture.MaxBulkBytes;
        using RespClient client = await _server.ConnectAsync();
        RespReply config = await client.CommandAsync("CONFIG", "GET", "proto-max-bulk-len");
        Assert.True(
            config.Items.Count == 2 && config.Items[1].Text == Max.ToString(CultureInfo.InvariantCulture),
            $"CONFIG GET proto-max-bulk-len after --config: {config}");

        await client.OkCommandAsync("DEL", "bulk:ok", "bulk:big");
        Assert.Equal("OK", (await client.CommandAsync("SET", "bulk:ok", new string('a', Max))).Text);

        using RespClient big = await _server.ConnectAsync();
        // Only the header: a server must reject the length before reading the payload.
        await big.SendRawAsync($"*3\r\n$3\r\nSET\r\n$8\r\nbulk:big\r\n${Max + 1}\r\n");
        RespReply reply = await big.ReadReplyAsync();
        Assert.True(reply.IsError && reply.Text.StartsWith("ERR Protocol error", StringComparison.Ordinal), $"a {Max + 1}-byte bulk answered {reply}");
        Assert.True(await big.WaitForServerCloseAsync(TimeSpan.FromSeconds(5)), "connection stayed open after an oversized bulk");

        Assert.True((await client.CommandAsync("EXISTS", "bulk:big")).Integer == 0, "the oversized SET was applied");
        Assert.Equal(Max, (await client.CommandAsync("STRLEN", "bulk:ok")).Integer);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("GETEX")] // a write: its reply is written when it applies, after the session queued the whole run
    public async Task A_reply_over_client_output_buffer_limit_closes_the_connection_without_sending_it(string command)
    {
        const int ValueBytes = 2_000_000;
        using RespClient admin = await _server.ConnectAsync();
        await admin.OkCommandAsync("DEL", "obl:big");
        Assert.Equal(ValueBytes, (await admin.CommandAsync("SETRANGE", "obl:big", ValueBytes - 1, "x")).Integer);
        string limit = (await admin.OkCommandAsync("CONFIG", "GET", "client-output-buffer-limit")).Items[1].Text;
        Assert.Equal("OK", (await admin.CommandAsync("CONFIG", "SET", "client-output-buffer-limit", "1mb")).Text);
        try
        {
            using RespClient greedy = await _server.ConnectAsync();
            byte[] request = RespClient.Encode(command, "obl:big");
            byte[] five = [.. request, .. request, .. request, .. request, .. request];
            await greedy.SendRawAsync(five);
            long received = await BytesUntilCloseAsync(greedy, TimeSpan.FromSeconds(5));
            Assert.True(received >= 0, "the connection stayed open after a reply over the limit");
            Assert.True(received < ValueBytes, $"{received} bytes of five {ValueBytes}-byte replies to {command} over a 1 MB limit were sent");
            Assert.Equal("PONG", (await admin.CommandAsync("PING")).Text);
        }
        finally
        {
            Assert.Equal("OK", (await admin.CommandAsync("CONFIG", "SET", "client-output-buffer-limit", limit)).Text);
        }

        using RespClient after = await _server.ConnectAsync();
        Assert.Equal(ValueBytes, (await after.OkCommandAsync("GET", "obl:big")).Bytes!.Length);
    }

    [Fact]
    public async Task Errors_are_returned_to_the_client_and_the_connection_goes_on()
    {
        using RespClient client = await _server.ConnectAsync();
        await client.OkCommandAsync("DEL", "err:list");
        RespReply unknown = await client.CommandAsync("NOSUCHCOMMAND", "x");
        Assert.True(unknown.IsError && unknown.Text.StartsWith("ERR unknown command", StringComparison.Ordinal), unknown.ToString());
        RespReply arity = await client.CommandAsync("GET");
        Assert.True(arity.IsError && arity.Text.StartsWith("ERR wrong number of arguments", StringComparison.Ordinal), arity.ToString());
        await client.OkCommandAsync("RPUSH", "err:list", "a");
        RespReply wrongType = await client.CommandAsync("GET", "err:list");
        Assert.True(wrongType.IsError && wrongType.Text.StartsWith("WRONGTYPE", StringComparison.Ordinal), wrongType.ToString());
        Assert.Equal("PONG", (await client.CommandAsync("PING")).Text);
    }

    /// <summary>Bytes received until the server closes the connection; -1 if it is still open after <paramref name="timeout"/>.</summary>
    private static async Task<long> BytesUntilCloseAsync(RespClient client, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        try
        {
            while (true)
            {
                int read = await client.Socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, cancel.Token);
                if (read == 0)
                {
                    return received;
                }

                received += read;
            }
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return received;
        }
    }

    private static string Printable(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
