using Lattice.Server;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Options;

/// <summary>The testing-only settings: --unsafe names, which combinations start, and the skewable wall clock.</summary>
public sealed class TestingOptionsTests
{
    [Theory]
    [InlineData("stale-reads", UnsafeModes.StaleReads, "stale-reads")]
    [InlineData("early-ack", UnsafeModes.EarlyAck, "early-ack")]
    [InlineData("early-ack,stale-reads", UnsafeModes.StaleReads | UnsafeModes.EarlyAck, "stale-reads,early-ack")]
    [InlineData("Stale-Reads, early-ack", UnsafeModes.StaleReads | UnsafeModes.EarlyAck, "stale-reads,early-ack")]
    public void Unsafe_modes_parse_alone_or_as_a_list(string text, UnsafeModes expected, string formatted)
    {
        Assert.True(ServerOptions.TryParseUnsafe(text, out UnsafeModes modes));
        Assert.Equal(expected, modes);
        Assert.Equal(formatted, ServerOptions.FormatUnsafe(modes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("none")]
    [InlineData("stale-reads,")]
    [InlineData("early-ack,fast")]
    public void Unknown_unsafe_modes_are_refused(string text)
    {
        Assert.False(ServerOptions.TryParseUnsafe(text, out UnsafeModes modes));
        Assert.Equal(UnsafeModes.None, modes);
    }

    [Fact]
    public void The_clock_offset_needs_the_test_hooks_and_stays_within_a_day()
    {
        Assert.Null(new ServerOptions().ValidateTestingFlags());
        Assert.Null(new ServerOptions { Unsafe = UnsafeModes.EarlyAck, TestHooks = true }.ValidateTestingFlags());
        var cluster = new ServerOptions { Cluster = new ClusterOptions(), Unsafe = UnsafeModes.StaleReads, ClockOffsetMs = 5 };
        Assert.Contains("--clock-offset-ms needs --test-hooks", cluster.ValidateTestingFlags(), StringComparison.Ordinal);
        cluster.TestHooks = true;
        Assert.Null(cluster.ValidateTestingFlags());
        cluster.ClockOffsetMs = -86_400_001;
        Assert.Contains("within 86400000 ms", cluster.ValidateTestingFlags(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_offset_clock_moves_wall_time_only_and_stays_within_a_day()
    {
        var inner = new FrozenClock();
        var clock = new OffsetTimeProvider(inner, TimeSpan.FromMinutes(-5));
        Assert.Equal(FrozenClock.Now.AddMinutes(-5), clock.GetUtcNow());
        clock.Offset = TimeSpan.FromHours(3);
        Assert.Equal(FrozenClock.Now.AddHours(3), clock.GetUtcNow());
        Assert.Equal(FrozenClock.Timestamp, clock.GetTimestamp());
        Assert.Equal(inner.TimestampFrequency, clock.TimestampFrequency);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Offset = TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OffsetTimeProvider(inner, TimeSpan.FromDays(-2)));
        Assert.Equal(TimeSpan.FromHours(3), clock.Offset);
    }

    /// <summary>A clock standing still, so the offset is the only difference.</summary>
    private sealed class FrozenClock : TimeProvider
    {
        public static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        public const long Timestamp = 123_456_789;

        public override DateTimeOffset GetUtcNow() => Now;

        public override long GetTimestamp() => Timestamp;
    }
}
