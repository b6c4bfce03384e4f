using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lattice.Testing.Chaos;

/// <summary>
/// A small RESP2 client for the chaos workloads: one request at a time, every call bounded by the caller's token.
/// Replies are bounded too (bulk length, array length, nesting) so a misbehaving node cannot exhaust the harness's
/// memory. After a failed or cancelled call the connection is unusable (a late reply would be mistaken for the
/// next one's), so callers dispose it and connect again.
/// </summary>
public sealed class ChaosRespClient : IAsyncDisposable
{
    public const int MaxBulkBytes = 16 * 1024 * 1024;
    public const int MaxArrayItems = 1_000_000;
    private const int MaxDepth = 8;
    private const int MaxLineBytes = 64 * 1024;

    private readonly Socket _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _broken;

    private ChaosRespClient(Socket socket) => _socket = socket;

    public bool IsBroken => _broken;

    /// <param name="createSocket">Makes the socket, e.g. inside a network namespace.</param>
    public static async Task<ChaosRespClient> ConnectAsync(Func<Socket> createSocket, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createSocket);
        Socket socket = createSocket();
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new ChaosRespClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command and reads its reply. Any exception leaves the client broken.</summary>
    public async Task<RespReply> CallAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ObjectDisposedException.ThrowIf(_broken, this);
        _broken = true;
        await _socket.SendAsync(Encode(arguments), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        RespReply reply = await ReadReplyAsync(0, cancellationToken).ConfigureAwait(false);
        _broken = false;
        return reply;
    }

    public ValueTask DisposeAsync()
    {
        _broken = true;
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static byte[] Encode(IReadOnlyList<string> arguments)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"*{arguments.Count}\r\n");
        foreach (string argument in arguments)
        {
            text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private async Task<RespReply> ReadReplyAsync(int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("reply nested too deeply");
        }

        string line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line.Length == 0)
        {
            throw new FormatException("empty reply line");
        }

        string rest = line[1..];
        switch (line[0])
        {
            case '+':
                return new RespReply(RespReplyKind.SimpleString, rest, 0, null);
            case '-':
                return new RespReply(RespReplyKind.Error, rest, 0, null);
            case ':':
                return new RespReply(RespReplyKind.Integer, null, ParseLength(rest, long.MinValue, long.MaxValue), null);
            case '$':
            {
                long length = ParseLength(rest, -1, MaxBulkBytes);
                if (length < 0)
                {
                    return RespReply.Null;
                }

                byte[] bytes = await ReadExactAsync((int)length + 2, cancellationToken).ConfigureAwait(false);
                if (bytes[^2] != '\r' || bytes[^1] != '\n')
                {
                    throw new FormatException("bulk string not followed by CRLF");
                }

                return new RespReply(RespReplyKind.BulkString, Encoding.UTF8.GetString(bytes, 0, (int)length), 0, null);
            }

            case '*':
            {
                long count = ParseLength(rest, -1, MaxArrayItems);
                if (count < 0)
                {
                    return RespReply.Null;
                }

                var items = new RespReply[count];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = await ReadReplyAsync(depth + 1, cancellationToken).ConfigureAwait(false);
                }

                return new RespReply(RespReplyKind.Array, null, 0, items);
            }

            default:
                throw new FormatException($"unexpected reply type '{line[0]}'");
        }
    }

    private static long ParseLength(string text, long least, long greatest)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < least || value > greatest)
        {
            throw new FormatException($"bad length or integer in reply: '{text}'");
        }

        return value;
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                if (newline == _start || _buffer[newline - 1] != '\r')
                {
                    throw new FormatException("reply line not ended by CRLF");
                }

                string line = Encoding.UTF8.GetString(_buffer, _start, newline - 1 - _start);
                _start = newline + 1;
                return line;
            }

            if (_end - _start > MaxLineBytes)
            {
                throw new FormatException("reply line too long");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        byte[] result = new byte[count];
        int copied = 0;
        while (copied < count)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            int take = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, take);
            _start += take;
            copied += take;
        }

        return result;
    }

    /// <summary>Reads more bytes after what is buffered, moving the unread bytes to the front first.</summary>
    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("the node closed the connection");
        }

        _end += read;
    }
}
