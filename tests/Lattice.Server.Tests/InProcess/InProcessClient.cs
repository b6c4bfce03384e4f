using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Lattice.Server;
using Microsoft.AspNetCore.Connections;

namespace Lattice.Server.Tests.InProcess;

/// <summary>One client session of an <see cref="InProcessNode"/>, driven through in-memory pipes.</summary>
internal sealed class InProcessClient : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _fromServer = new();
    private readonly ClientSession _session;
    private readonly Task _run;

    public InProcessClient(ServerState state)
    {
        var transport = new Duplex(_toServer.Reader, _fromServer.Writer);
        var application = new Duplex(_fromServer.Reader, _toServer.Writer);
        var connection = new DefaultConnectionContext(Guid.NewGuid().ToString("N"), transport, application);
        _session = new ClientSession(state, connection);
        state.Clients.Add(_session);
        _run = Task.Run(async () =>
        {
            try
            {
                await _session.RunAsync();
            }
            finally
            {
                state.Clients.Remove(_session);
            }
        });
    }

    public long Id => _session.Id;

    /// <summary>Where the client writes requests (for loops that must not allocate).</summary>
    public PipeWriter Requests => _toServer.Writer;

    /// <summary>Where the client reads replies (for loops that must not allocate).</summary>
    public PipeReader Replies => _fromServer.Reader;

    /// <summary>The session loop; completes when the server side closes the connection.</summary>
    public Task Completion => _run;

    public static byte[] Encode(params string[] args)
    {
        var text = new StringBuilder();
        text.Append('*').Append(args.Length).Append("\r\n");
        foreach (string arg in args)
        {
            text.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _toServer.Writer.WriteAsync(bytes);
    }

    /// <summary>Sends one command and returns its reply exactly as the server wrote it.</summary>
    public async Task<string> CallAsync(params string[] args)
    {
        await SendRawAsync(Encode(args));
        return await ReadReplyAsync();
    }

    /// <summary>The next complete reply's text, or null when the server closed the connection.</summary>
    public async Task<string?> TryReadReplyAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            ReadResult read = await _fromServer.Reader.ReadAsync(cancel.Token);
            byte[] bytes = read.Buffer.ToArray();
            int length = RespReplyFraming.Measure(bytes);
            if (length >= 0)
            {
                _fromServer.Reader.AdvanceTo(read.Buffer.GetPosition(length));
                return Encoding.UTF8.GetString(bytes, 0, length);
            }

            if (read.IsCompleted)
            {
                _fromServer.Reader.AdvanceTo(read.Buffer.End);
                return null;
            }

            _fromServer.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    public async Task<string> ReadReplyAsync() =>
        await TryReadReplyAsync() ?? throw new InvalidOperationException("the server closed the connection");

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
        _session.Dispose();
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
