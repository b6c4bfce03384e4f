using System.Net;
using System.Net.Sockets;
using System.Text;
using Lattice.Testing.Chaos;

namespace Lattice.Testing.Tests.Chaos;

public sealed class ChaosRespClientTests
{
    [Fact]
    public async Task Every_reply_type_decodes_even_when_split_across_writes()
    {
        string replies = "+OK\r\n-ERR boom\r\n:-42\r\n$5\r\nhe\r\nl\r\n$-1\r\n*3\r\n$1\r\na\r\n*1\r\n:7\r\n$0\r\n\r\n*-1\r\n";
        await using var server = await FakeServer.StartAsync(replies, chunk: 3);
        await using ChaosRespClient client = await server.ConnectAsync();
        var replyList = new List<RespReply>();
        for (int i = 0; i < 7; i++)
        {
            replyList.Add(await client.CallAsync(["PING"], server.Timeout));
        }

        Assert.Equal(RespReplyKind.SimpleString, replyList[0].Kind);
        Assert.Equal("OK", replyList[0].Text);
        Assert.True(replyList[1].IsError);
        Assert.Equal("ERR boom", replyList[1].Text);
        Assert.Equal(-42, replyList[2].Integer);
        Assert.Equal("he\r\nl", replyList[3].Text);
        Assert.True(replyList[4].IsNull);
        Assert.Equal("[\"a\", [7], \"\"]", replyList[5].ToString());
        Assert.True(replyList[6].IsNull);
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData("$99999999999\r\n")]
    [InlineData("*-5\r\n")]
    [InlineData("$3\r\nabcXY")]
    [InlineData("+no carriage return\n")]
    public async Task Malformed_replies_are_refused_and_break_the_connection(string reply)
    {
        await using var server = await FakeServer.StartAsync(reply, chunk: 64);
        await using ChaosRespClient client = await server.ConnectAsync();
        await Assert.ThrowsAsync<FormatException>(() => client.CallAsync(["PING"], server.Timeout));
        Assert.True(client.IsBroken);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CallAsync(["PING"], server.Timeout));
    }

    [Fact]
    public async Task A_connection_closed_mid_reply_is_an_io_error()
    {
        await using var server = await FakeServer.StartAsync("$10\r\nabc", chunk: 64, closeAfter: true);
        await using ChaosRespClient client = await server.ConnectAsync();
        await Assert.ThrowsAsync<IOException>(() => client.CallAsync(["GET", "k"], server.Timeout));
    }

    [Fact]
    public void Requests_are_encoded_as_arrays_of_bulk_strings()
    {
        Assert.Equal("*2\r\n$3\r\nGET\r\n$2\r\né\r\n", Encoding.UTF8.GetString(ChaosRespClient.Encode(["GET", "é"])));
    }

    [Theory]
    [InlineData("TRYAGAIN no leader", true)]
    [InlineData("CLUSTERDOWN no quorum", true)]
    [InlineData("ERR the write was dropped in a leader change and not applied", true)]
    [InlineData("TIMEOUT the write may or may not have been applied", false)]
    [InlineData("ERR something else", false)]
    public void Only_documented_not_applied_errors_are_definite_failures(string error, bool definite)
    {
        var result = ChaosCallResult.Replied(new RespReply(RespReplyKind.Error, error, 0, null));
        Assert.Equal(definite, result.IsDefiniteFailure);
    }

    [Fact]
    public void A_command_never_sent_failed_and_a_lost_reply_is_indeterminate()
    {
        Assert.True(ChaosCallResult.NotSent("SocketException").IsDefiniteFailure);
        Assert.False(ChaosCallResult.Lost("timeout").IsDefiniteFailure);
        Assert.Equal("timeout", ChaosCallResult.Lost("timeout").ErrorLabel);
    }

    [Fact]
    public void Error_labels_keep_codes_short_and_say_what_a_plain_err_was()
    {
        static string Label(string error) => ChaosCallResult.Replied(new RespReply(RespReplyKind.Error, error, 0, null)).ErrorLabel;
        Assert.Equal("TIMEOUT", Label("TIMEOUT the write was not confirmed in 5 s"));
        Assert.Equal("ERR the write was dropped in", Label("ERR the write was dropped in a leader change and not applied"));
        Assert.Equal("ERR boom", Label("ERR boom"));
        Assert.Equal("unexpected reply: Array", ChaosCallResult.Replied(new RespReply(RespReplyKind.Array, null, 0, [])).ErrorLabel);
    }

    /// <summary>Once the first request arrives, sends a canned reply stream in small chunks on that connection.</summary>
    private sealed class FakeServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _serving;
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(10));

        private FakeServer(TcpListener listener, Task serving)
        {
            _listener = listener;
            _serving = serving;
        }

        public CancellationToken Timeout => _timeout.Token;

        public static Task<FakeServer> StartAsync(string replies, int chunk, bool closeAfter = false)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            byte[] bytes = Encoding.UTF8.GetBytes(replies);
            Task serving = Task.Run(async () =>
            {
                using Socket socket = await listener.AcceptSocketAsync();
                byte[] sink = new byte[1024];
                _ = await socket.ReceiveAsync(sink);
                for (int sent = 0; sent < bytes.Length; sent += chunk)
                {
                    await socket.SendAsync(bytes.AsMemory(sent, Math.Min(chunk, bytes.Length - sent)));
                    await Task.Delay(5);
                }

                if (!closeAfter)
                {
                    while (await socket.ReceiveAsync(sink) > 0)
                    {
                    }
                }
            });
            return Task.FromResult(new FakeServer(listener, serving));
        }

        public Task<ChaosRespClient> ConnectAsync() =>
            ChaosRespClient.ConnectAsync(
                () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), (IPEndPoint)_listener.LocalEndpoint, Timeout);

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await Task.WhenAny(_serving, Task.Delay(2000));
            _timeout.Dispose();
        }
    }
}
