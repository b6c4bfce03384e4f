using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Lattice.Server.Cluster;

/// <summary>
/// A minimal blocking RESP client for administration (joining, <c>lattice admin</c>, <c>lattice status</c>): one
/// command, one reply, as text. An error reply throws <see cref="AdminCommandException"/>; an unreachable node
/// throws <see cref="IOException"/>.
/// </summary>
public static class AdminClient
{
    private const int ReplyBytesMax = 16 * 1024 * 1024;

    public static string Command(string hostPort, IReadOnlyList<string> args, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(hostPort);
        ArgumentNullException.ThrowIfNull(args);
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            throw new ArgumentException($"'{hostPort}' is not host:port", nameof(hostPort));
        }

        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(5);
        try
        {
            using var client = new TcpClient { NoDelay = true };
            if (!client.ConnectAsync(hostPort[..colon], port).Wait(limit))
            {
                throw new IOException($"connecting to {hostPort} timed out");
            }

            client.ReceiveTimeout = (int)limit.TotalMilliseconds;
            client.SendTimeout = (int)limit.TotalMilliseconds;
            NetworkStream stream = client.GetStream();
            var request = new StringBuilder();
            request.Append(CultureInfo.InvariantCulture, $"*{args.Count}\r\n");
            foreach (string arg in args)
            {
                request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
            }

            stream.Write(Encoding.UTF8.GetBytes(request.ToString()));
            return ReadReply(stream);
        }
        catch (AggregateException e) when (e.InnerException is SocketException socket)
        {
            throw new IOException($"cannot reach {hostPort}: {socket.Message}", socket);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot reach {hostPort}: {e.Message}", e);
        }
    }

    private static string ReadReply(Stream stream)
    {
        string line = ReadLine(stream);
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
                stream.ReadExactly(body);
                return Encoding.UTF8.GetString(body, 0, length);
            default:
                throw new IOException($"unexpected reply '{line}'");
        }
    }

    private static string ReadLine(Stream stream)
    {
        var line = new StringBuilder();
        while (line.Length < 64 * 1024)
        {
            int next = stream.ReadByte();
            if (next < 0)
            {
                throw new IOException("the connection closed before the reply ended");
            }

            if (next == '\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }

            line.Append((char)next);
        }

        throw new IOException("reply line too long");
    }
}
