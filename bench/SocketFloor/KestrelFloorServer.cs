using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Lattice.Resp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Lattice.SocketFloor;

/// <summary>The same work over Kestrel, set up as the Lattice node sets it up (inline scheduling and completions).</summary>
internal static class KestrelFloorServer
{
    public static void Run(int port)
    {
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseConnectionHandler<FloorHandler>()));
        builder.Build().Run();
    }

    private sealed class FloorHandler : ConnectionHandler
    {
        public override async Task OnConnectedAsync(ConnectionContext connection)
        {
            PipeReader input = connection.Transport.Input;
            PipeWriter output = connection.Transport.Output;
            using var args = new ArgumentList();
            var query = new byte[64 * 1024];
            var replies = new byte[64 * 1024];
            while (true)
            {
                ReadResult read = await input.ReadAsync().ConfigureAwait(false);
                int length = (int)Math.Min(read.Buffer.Length, query.Length);
                read.Buffer.Slice(0, length).CopyTo(query);
                int written = FloorReplies.Answer(query.AsSpan(0, length), args, replies, out int consumed);
                input.AdvanceTo(read.Buffer.GetPosition(consumed), read.Buffer.GetPosition(length));
                await output.WriteAsync(replies.AsMemory(0, written)).ConfigureAwait(false);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
    }
}
