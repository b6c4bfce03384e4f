using System.Diagnostics;

namespace Lattice.Server.Tests.Cluster;

/// <summary>Waits for a condition with generous bounds, so loaded machines slow tests down instead of failing them.</summary>
internal static class Poll
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static void Until(Func<bool> condition, string what)
    {
        Assert.True(Within(Patience, condition), $"timed out waiting for {what}");
    }

    public static bool Within(TimeSpan limit, Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }
}
