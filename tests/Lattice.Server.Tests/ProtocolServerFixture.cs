using System.Globalization;

namespace Lattice.Server.Tests;

/// <summary>A server started with <c>--config FILE</c> that lowers proto-max-bulk-len to <see cref="MaxBulkBytes"/>.</summary>
public sealed class ProtocolServerFixture : ServerFixture
{
    public const int MaxBulkBytes = 1024;

    protected override ServerStartOptions Options => new()
    {
        ConfigFileContents = string.Create(
            CultureInfo.InvariantCulture, $"# written by ProtocolTests\nproto-max-bulk-len {MaxBulkBytes}\n"),
    };
}
