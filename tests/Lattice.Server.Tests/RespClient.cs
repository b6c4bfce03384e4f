using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lattice.Server.Tests;

/// <summary>
/// A deliberately small RESP client for tests: sends commands as multibulk requests (or any raw bytes) and reads
/// one reply at a time, RESP2 or RESP3, into a <see cref="RespReply"/> tree. Not thread-safe. Every read has a
/// timeout, so a server that never answers fails the test instead of hanging it.
/// </summary>
public sealed class RespClient : IAsyncDisposable, IDisposable
{
    private const int MaxLineBytes = 64 * 1024;
    private const int MaxDepth = 64;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RespClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>How long one reply may take before the read fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public Socket Socket => _tcp.Client;

    public static async Task<RespClient> ConnectAsync(int port, TimeSpan? timeout = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        return new RespClient(tcp);
    }

    /// <summary>Encodes a command as a RESP multibulk request. Arguments may be byte arrays, strings or numbers.</summary>
    public static byte[] Encode(params object[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var request = new MemoryStream();
        WriteAscii(request, $"*{args.Length}\r\n");
        foreach (object arg in args)
        {
            byte[] bytes = ToBytes(arg);
            WriteAscii(request, $"${bytes.Length}\r\n");
            request.Write(bytes);
            request.Write("\r\n"u8);
        }

        return request.ToArray();
    }

    public static byte[] ToBytes(object arg) => arg switch
    {
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text),
        IFormattable number => Encoding.UTF8.GetBytes(number.ToString(null, CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"cannot send an argument of type {arg.GetType()}", nameof(arg)),
    };

    /// <summary>Sends one command and reads its reply.</summary>
    public async Task<RespReply> CommandAsync(params object[] args)
    {
        await SendRawAsync(Encode(args));
        return await ReadReplyAsync();
    }

    /// <summary>Sends one command and returns its reply, failing the test if the reply is an error.</summary>
    public async Task<RespReply> OkCommandAsync(params object[] args)
    {
        RespReply reply = await CommandAsync(args);
        if (reply.IsError)
        {
            Assert.Fail($"{Describe(args)} failed: {reply}");
        }

        return reply;
    }

    public Task SendAsync(params object[] args) => SendRawAsync(Encode(args));

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReplyTimeout);
        try
        {
            await _stream.WriteAsync(bytes, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"sending {bytes.Length} bytes took longer than {ReplyTimeout}");
        }
    }

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Reads one whole reply (aggregates included).</summary>
    public async Task<RespReply> ReadReplyAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReplyTimeout);
        try
        {
            while (true)
            {
                RespReply? reply = await ReadValueAsync(0, timeout.Token);
                if (reply is not null)
                {
                    return reply;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete reply within {ReplyTimeout}");
        }
    }

    /// <summary>
    /// Reads and discards until the server closes the connection. True if it closed (EOF or reset) within the
    /// timeout, false if it was still open.
    /// </summary>
    public async Task<bool> WaitForServerCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        _start = _end = 0;
        try
        {
            while (true)
            {
                int read = await _stream.ReadAsync(_buffer, cancel.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public static string Describe(object[] args) =>
        string.Join(' ', args.Select(a => a is byte[] b ? $"<{b.Length} bytes>" : Convert.ToString(a, CultureInfo.InvariantCulture)));

    private static void WriteAscii(Stream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));

    /// <summary>One value; null for a RESP3 attribute, which annotates the value that follows it.</summary>
    private async Task<RespReply?> ReadValueAsync(int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException($"reply nested deeper than {MaxDepth}");
        }

        byte[] line = await ReadLineAsync(cancellationToken);
        if (line.Length == 0)
        {
            throw new InvalidDataException("empty reply line");
        }

        byte type = line[0];
        byte[] rest = line[1..];
        string header = Encoding.ASCII.GetString(rest);
        switch ((char)type)
        {
            case '+':
                return new RespReply(RespKind.SimpleString, rest);
            case '-':
                return new RespReply(RespKind.Error, rest);
            case ':':
                return new RespReply(RespKind.Integer, integer: ParseLength(header, line));
            case ',':
                return new RespReply(RespKind.Double, rest);
            case '(':
                return new RespReply(RespKind.BigNumber, rest);
            case '_':
                return new RespReply(RespKind.Null);
            case '#':
                return header switch
                {
                    "t" => new RespReply(RespKind.Boolean, integer: 1),
                    "f" => new RespReply(RespKind.Boolean, integer: 0),
                    _ => throw new InvalidDataException($"bad boolean reply '{Printable(line)}'"),
                };
            case '$' or '!' or '=':
            {
                long length = ParseLength(header, line);
                if (length < 0)
                {
                    return new RespReply(RespKind.Null);
                }

                byte[] payload = await ReadBulkAsync(length, cancellationToken);
                return (char)type switch
                {
                    '$' => new RespReply(RespKind.BulkString, payload),
                    '!' => new RespReply(RespKind.BlobError, payload),
                    _ => new RespReply(RespKind.VerbatimString, payload.Length >= 4 ? payload[4..] : payload),
                };
            }

            case '*' or '~' or '>' or '%' or '|':
            {
                long count = ParseLength(header, line);
                if (count < 0)
                {
                    return new RespReply(RespKind.Null);
                }

                long itemCount = type is (byte)'%' or (byte)'|' ? count * 2 : count;
                var items = new List<RespReply>((int)Math.Min(itemCount, 1024));
                for (long i = 0; i < itemCount; i++)
                {
                    RespReply? item;
                    while ((item = await ReadValueAsync(depth + 1, cancellationToken)) is null)
                    {
                    }

                    items.Add(item);
                }

                return (char)type switch
                {
                    '*' => new RespReply(RespKind.Array, items: items),
                    '~' => new RespReply(RespKind.Set, items: items),
                    '>' => new RespReply(RespKind.Push, items: items),
                    '%' => new RespReply(RespKind.Map, items: items),
                    _ => null,
                };
            }

            default:
                throw new InvalidDataException($"unknown reply type in line '{Printable(line)}'");
        }
    }

    private static long ParseLength(string header, byte[] line) =>
        long.TryParse(header, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new InvalidDataException($"bad number in reply line '{Printable(line)}'");

    private static string Printable(byte[] line) =>
        new RespReply(RespKind.BulkString, line.Length > 200 ? line[..200] : line).ToString();

    private async Task<byte[]> ReadLineAsync(CancellationToken cancellationToken)
    {
        int scanFrom = _start;
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (newline > _start && _buffer[newline - 1] == (byte)'\r')
            {
                byte[] line = _buffer[_start..(newline - 1)];
                _start = newline + 1;
                return line;
            }

            if (newline >= 0)
            {
                scanFrom = newline + 1;
                continue;
            }

            if (_end - _start > MaxLineBytes)
            {
                throw new InvalidDataException($"reply line longer than {MaxLineBytes} bytes");
            }

            int consumedBefore = _start;
            await FillAsync(cancellationToken);
            scanFrom -= consumedBefore - _start;
        }
    }

    private async Task<byte[]> ReadBulkAsync(long length, CancellationToken cancellationToken)
    {
        if (length > int.MaxValue - 2)
        {
            throw new InvalidDataException($"bulk of {length} bytes is too large for a test client");
        }

        int total = (int)length + 2;
        while (_end - _start < total)
        {
            await FillAsync(cancellationToken, total);
        }

        byte[] payload = _buffer[_start..(_start + (int)length)];
        if (_buffer[_start + (int)length] != (byte)'\r' || _buffer[_start + (int)length + 1] != (byte)'\n')
        {
            throw new InvalidDataException("bulk reply is not terminated by CRLF");
        }

        _start += total;
        return payload;
    }

    /// <summary>Reads more bytes after the unconsumed ones, compacting or growing the buffer so
    /// <paramref name="need"/> unconsumed bytes fit.</summary>
    private async Task FillAsync(CancellationToken cancellationToken, int need = 0)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length || need > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, need));
        }

        int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new EndOfStreamException("the server closed the connection");
        }

        _end += read;
    }
}
