namespace Lattice.Engine.Tests;

public sealed class HarnessTests
{
    [Fact]
    public void Unknown_commands_are_refused()
    {
        using var h = new EngineHarness();
        Assert.StartsWith("-ERR unknown command", h.Run("NOPE"), StringComparison.Ordinal);
    }

    [Fact]
    public void Internal_commands_are_not_callable()
    {
        using var h = new EngineHarness();
        Assert.StartsWith("-ERR unknown command", h.Run("lattice.expire", "k"), StringComparison.Ordinal);
    }
}
