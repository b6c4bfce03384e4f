namespace Lattice.Server.Tests;

/// <summary>
/// Process tests are split into two collections so at most two servers (plus their clients) run at once on the
/// 2-core machine: the light client and protocol tests, and the heavy crash, corruption and memory tests.
/// xunit runs the classes of one collection one after another.
/// </summary>
public static class ServerCollections
{
    public const string Clients = "server processes: clients and protocol";
    public const string Heavy = "server processes: crash, corruption and memory";
}

[CollectionDefinition(ServerCollections.Clients)]
public sealed class ClientsCollection
{
}

[CollectionDefinition(ServerCollections.Heavy)]
public sealed class HeavyCollection
{
}
