using Lattice.Common;
using Microsoft.AspNetCore.Connections;

namespace Lattice.Server;

/// <summary>Kestrel's entry point for a new TCP connection: a RESP session until the client leaves.</summary>
internal sealed class RespConnectionHandler(ServerState server) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        server.Stats.AddConnection();
        using var session = new ClientSession(server, connection);
        if (server.Clients.Count >= server.Options.MaxClients)
        {
            server.Stats.AddRejectedConnection();
            await connection.Transport.Output.WriteAsync("-ERR max number of clients reached\r\n"u8.ToArray()).ConfigureAwait(false);
            return;
        }

        server.Clients.Add(session);
        try
        {
            await session.RunAsync().ConfigureAwait(false);
        }
        catch (InvariantViolationException e)
        {
            // Internal state is wrong; serving on could spread it. Stop loudly.
            server.Log($"FATAL: client {session.Id}: {e}");
            Environment.FailFast($"lattice: invariant violated: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            server.Log($"client {session.Id} ({session.Address}) closed after an error: {e.Message}");
        }
        finally
        {
            server.Clients.Remove(session);
        }
    }
}
