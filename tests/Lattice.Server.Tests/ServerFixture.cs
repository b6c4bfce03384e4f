namespace Lattice.Server.Tests;

/// <summary>One server shared by the tests of a class (they run one at a time); stopped and deleted afterwards.</summary>
public class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("the server fixture did not start");

    protected virtual ServerStartOptions Options => new();

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(Options);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
