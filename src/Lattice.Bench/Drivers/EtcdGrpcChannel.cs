using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Lattice.Common;

namespace Lattice.Bench.Drivers;

/// <summary>
/// Unary gRPC calls to one etcd member over HTTP/2 cleartext (prior knowledge), with plain <see cref="HttpClient"/>:
/// POST to <c>/package.Service/Method</c>, <c>application/grpc</c>, the message behind gRPC's 5-byte prefix (a
/// compressed flag and a big-endian length), and the call's status read from the <c>grpc-status</c> trailer (or
/// header, for trailers-only answers). One HTTP/2 connection per channel; the response buffer is reused.
/// </summary>
public sealed class EtcdGrpcChannel : IDisposable
{
    public const int FramePrefixBytes = 5;

    private readonly HttpClient _http;
    private byte[] _response = new byte[16 * 1024];

    public EtcdGrpcChannel(BenchEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://{endpoint.Host}:{endpoint.Port}"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>
    /// Sends the framed request <paramref name="frame"/>[0..length) (prefix included) and returns the response
    /// message, valid until the next call.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> CallAsync(string path, byte[] frame, int length, CancellationToken cancellationToken)
    {
        Invariant.Check(length >= FramePrefixBytes && BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1)) == length - FramePrefixBytes, "request is one framed message");
        using var content = new ByteArrayContent(frame, 0, length);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
        // A hand-made request message does not take the client's default version: set HTTP/2-only here too.
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        int received = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"etcd answered HTTP {(int)response.StatusCode} to {path}");
        }

        int status = GrpcStatus(response, out string message);
        if (status != 0)
        {
            throw new EtcdGrpcException(status, message);
        }

        Invariant.Check(received >= FramePrefixBytes && _response[0] == 0, "gRPC response is one uncompressed message");
        int messageLength = (int)BinaryPrimitives.ReadUInt32BigEndian(_response.AsSpan(1));
        Invariant.Check(messageLength == received - FramePrefixBytes, "gRPC response length matches its prefix");
        return _response.AsMemory(FramePrefixBytes, messageLength);
    }

    public void Dispose() => _http.Dispose();

    private async ValueTask<int> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            int total = 0;
            while (true)
            {
                if (total == _response.Length)
                {
                    Array.Resize(ref _response, _response.Length * 2);
                }

                int read = await body.ReadAsync(_response.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return total;
                }

                total += read;
            }
        }
    }

    private static int GrpcStatus(HttpResponseMessage response, out string message)
    {
        message = "";
        string? status = null;
        if (response.TrailingHeaders.TryGetValues("grpc-status", out IEnumerable<string>? trailer))
        {
            status = trailer.FirstOrDefault();
            message = response.TrailingHeaders.TryGetValues("grpc-message", out IEnumerable<string>? text) ? text.FirstOrDefault() ?? "" : "";
        }
        else if (response.Headers.TryGetValues("grpc-status", out IEnumerable<string>? header))
        {
            status = header.FirstOrDefault();
            message = response.Headers.TryGetValues("grpc-message", out IEnumerable<string>? text) ? text.FirstOrDefault() ?? "" : "";
        }

        if (status is null)
        {
            throw new HttpRequestException("etcd response carried no grpc-status");
        }

        return int.Parse(status, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
