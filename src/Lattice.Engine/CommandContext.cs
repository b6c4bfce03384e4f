using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// Everything a command handler may use. Reused per connection (reads) or per applier (writes): handlers
/// must not keep it. Time and randomness come from here, never from the clock or Random.Shared.
/// </summary>
public sealed class CommandContext
{
    private DeterministicRandom _random;

    public CommandContext(Database database, ReplyWriter reply)
    {
        Database = database;
        Reply = reply;
        _random = new DeterministicRandom(1);
    }

    public Database Database { get; set; }

    public ReplyWriter Reply { get; set; }

    /// <summary>Unix time in ms: the log entry's time for writes, the reader's clock for reads.</summary>
    public long TimeMs { get; set; }

    /// <summary>The log index of the entry being applied; 0 for reads.</summary>
    public long Index { get; set; }

    /// <summary>Largest string a command may build (proto-max-bulk-len).</summary>
    public long MaxStringBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Seeded per entry when applying (so replicas and replays choose alike).</summary>
    public ref DeterministicRandom Random => ref _random;

    /// <summary>Prepares the context to apply log entry <paramref name="index"/> stamped <paramref name="timeMs"/>.</summary>
    public void BeginWrite(long index, long timeMs)
    {
        Invariant.Check(index > 0, "log indexes start at 1");
        Index = index;
        TimeMs = timeMs;
        _random = new DeterministicRandom((ulong)index);
    }

    /// <summary>Prepares the context for a read at <paramref name="nowMs"/>.</summary>
    public void BeginRead(long nowMs, ulong randomSeed)
    {
        Index = 0;
        TimeMs = nowMs;
        _random = new DeterministicRandom(randomSeed);
    }
}
