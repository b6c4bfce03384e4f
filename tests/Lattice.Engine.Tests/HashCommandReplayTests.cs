using static Lattice.Engine.Tests.RandomCommandReplay;

namespace Lattice.Engine.Tests;

/// <summary>A seeded mix of the hash writes, replayed into a machine with another table seed, gives the same hashes.</summary>
public sealed class HashCommandReplayTests
{
    private static readonly string[] Keys = ["a", "b", "c", "s"];
    private static readonly string[] Fields = ["f1", "f2", "f3", "n"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_replay_of_random_hash_commands_gives_the_same_hashes(int seed)
    {
        AssertReplayMatches(seed, NextHashCommand, "hash:");
    }

    private static string[] NextHashCommand(Random random)
    {
        string key = Pick(random, Keys);
        string field = Pick(random, Fields);
        string number = Number(random, -50, 50);
        return random.Next(10) switch
        {
            0 or 1 => ["HSET", key, field, number, Pick(random, Fields), "x" + number],
            2 => ["HSETNX", key, field, number],
            3 => ["HDEL", key, field, Pick(random, Fields)],
            4 => ["HINCRBY", key, "n", number],
            5 => ["HINCRBYFLOAT", key, "n", number + ".25"],
            6 => ["PEXPIRE", key, Number(random, 1, 20)],
            7 => ["SET", "s", number],
            8 => ["DEL", key],
            _ => ["HMSET", key, field, number],
        };
    }
}
