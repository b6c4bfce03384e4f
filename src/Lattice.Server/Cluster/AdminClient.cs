using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Lattice.Server.Cluster;

/// <summary>
/// A minimal RESP client for administration (joining, membership changes, <c>lattice admin</c>, <c>lattice
/// status</c>): one command, one reply, as text. An error reply throws <see cref="AdminCommandException"/>; an
/// unreachable node or a timeout throws <see cref="IOException"/>. Asynchronous inside the server; the blocking
/// form is for the command line.
/// </summary>
public static class AdminClient
{
    private const int ReplyBytesMax = 16 * 1024 * 1024;
    private const int LineBytesMax = 64 * 1024;

    public static string Command(string hostPort, IReadOnlyList<string> args, TimeSpan? timeout = null) =>
        CommandAsync(hostPort, args, timeout).GetAwaiter().GetResult();

    public static async Task<string> CommandAsync(string hostPort, IReadOnlyList<string> args, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(hostPort);
        ArgumentNullException.ThrowIfNull(args);
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            throw new ArgumentException($"'{hostPort}' is not host:port", nameof(hostPort));
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(hostPort[..colon], port, deadline.Token).ConfigureAwait(false);
            NetworkStream stream = client.GetStream();
            var request = new StringBuilder();
            request.Append(CultureInfo.InvariantCulture, $"*{args.Count}\r\n");
            foreach (string arg in args)
            {
                request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), deadline.Token).ConfigureAwait(false);
            return await ReadReplyAsync(stream, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new IOException($"{hostPort} did not answer within {(timeout ?? TimeSpan.FromSeconds(5)).TotalSeconds:F0} s");
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot reach {hostPort}: {e.Message}", e);
        }
    }

    /// <summary>One INFO section as name → value.</summary>
    public static async Task<Dictionary<string, string>> InfoAsync(string hostPort, string section, TimeSpan? timeout = null)
    {
        string text = await CommandAsync(hostPort, ["INFO", section], timeout).ConfigureAwait(false);
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[0] != '#')
            {
                info[line[..colon]] = line[(colon + 1)..];
            }
        }

        return info;
    }

    public static Dictionary<string, string> Info(string hostPort, string section, TimeSpan? timeout = null) =>
        InfoAsync(hostPort, section, timeout).GetAwaiter().GetResult();

    private static async Task<string> ReadReplyAsync(Stream stream, CancellationToken cancel)
    {
        string line = await ReadLineAsync(stream, cancel).ConfigureAwait(false);
        switch (line.Length > 0 ? line[0] : '\0')
        {
            case '+':
            case ':':
                return line[1..];
            case '-':
                throw new AdminCommandException(line[1..]);
            case '$':
                int length = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return string.Empty;
                }

                if (length > ReplyBytesMax)
                {
                    throw new IOException($"reply of {length} bytes is too large");
                }

                byte[] body = new byte[length + 2];
                await stream.ReadExactlyAsync(body, cancel).ConfigureAwait(false);
                return Encoding.UTF8.GetString(body, 0, length);
            default:
                throw new IOException($"unexpected reply '{line}'");
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancel)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (line.Length < LineBytesMax)
        {
            if (await stream.ReadAsync(one, cancel).ConfigureAwait(false) == 0)
            {
                throw new IOException("the connection closed before the reply ended");
            }

            if (one[0] == '\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }

            line.Append((char)one[0]);
        }

        throw new IOException("reply line too long");
    }
}
