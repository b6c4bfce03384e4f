using System.Globalization;
using static Lattice.Engine.Tests.HashListReplies;

namespace Lattice.Engine.Tests;

/// <summary>
/// Runs a seeded mix of writes, replays the log into a machine with another table seed, and checks both hold the
/// same contents; shared by the per-family replay tests, which supply the command mix.
/// </summary>
internal static class RandomCommandReplay
{
    public static void AssertReplayMatches(int seed, Func<Random, string[]> nextCommand, string expectedKindPrefix)
    {
        using var h = new EngineHarness();
        var random = new Random(seed);
        for (int i = 0; i < 1500; i++)
        {
            // A snapshot in the middle makes the original clone its collections; the replay never does.
            if (i == 500)
            {
                h.Machine.Database.BeginSnapshot();
            }
            else if (i == 900)
            {
                h.Machine.Database.EndSnapshot();
            }

            h.NowMs += random.Next(5);
            h.Run(nextCommand(random));
        }

        using KeyValueStateMachine replayed = h.Replay();
        Assert.Equal(Contents(h.Machine.Database, h.NowMs), Contents(replayed.Database, h.NowMs));
        Assert.Contains(expectedKindPrefix, Contents(h.Machine.Database, h.NowMs), StringComparison.Ordinal);
    }

    public static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];

    public static string Number(Random random, int min, int max) => random.Next(min, max + 1).ToString(CultureInfo.InvariantCulture);
}
