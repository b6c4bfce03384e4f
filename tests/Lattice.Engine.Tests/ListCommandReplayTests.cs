using static Lattice.Engine.Tests.RandomCommandReplay;

namespace Lattice.Engine.Tests;

/// <summary>A seeded mix of the list writes, replayed into a machine with another table seed, gives the same lists.</summary>
public sealed class ListCommandReplayTests
{
    private static readonly string[] Keys = ["a", "b", "c", "s"];
    private static readonly string[] Ends = ["LEFT", "RIGHT"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_replay_of_random_list_commands_gives_the_same_lists(int seed)
    {
        AssertReplayMatches(seed, NextListCommand, "list:");
    }

    private static string[] NextListCommand(Random random)
    {
        string key = Pick(random, Keys);
        string value = Number(random, 0, 6);
        return random.Next(14) switch
        {
            0 or 1 => ["RPUSH", key, value, Number(random, 0, 6)],
            2 => ["LPUSH", key, value],
            3 => ["LPUSHX", key, value],
            4 => ["LPOP", key, Number(random, 0, 3)],
            5 => ["RPOP", key],
            6 => ["LSET", key, Number(random, -3, 3), value],
            7 => ["LTRIM", key, Number(random, -5, 3), Number(random, -3, 8)],
            8 => ["LREM", key, Number(random, -2, 2), value],
            9 => ["LINSERT", key, Pick(random, ["BEFORE", "AFTER"]), value, Number(random, 0, 6)],
            10 => ["LMOVE", key, Pick(random, Keys), Pick(random, Ends), Pick(random, Ends)],
            11 => ["RPOPLPUSH", key, Pick(random, Keys)],
            12 => ["PEXPIRE", key, Number(random, 1, 20)],
            _ => ["SET", "s", value],
        };
    }
}
