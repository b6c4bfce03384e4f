using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>
/// The last events of a run in a ring buffer, printed when a check fails, plus a running hash of every event so
/// two runs of one seed can be compared exactly.
/// </summary>
internal sealed class SimulationTrace
{
    public const int DefaultCapacity = 200;
    private readonly TraceEvent[] _ring;
    private long _count;

    public SimulationTrace(int capacity = DefaultCapacity)
    {
        Invariant.Check(capacity > 0, "trace capacity must be positive");
        _ring = new TraceEvent[capacity];
    }

    public int Capacity => _ring.Length;

    public ulong Hash { get; private set; } = 0xCBF29CE484222325UL;

    public long Count => _count;

    public void Record(in TraceEvent traceEvent)
    {
        _ring[_count % Capacity] = traceEvent;
        _count++;
        ulong hash = Hash;
        hash = Mix(hash, (ulong)traceEvent.Time);
        hash = Mix(hash, ((ulong)traceEvent.Kind << 8) | (byte)traceEvent.MessageType);
        hash = Mix(hash, traceEvent.Node ^ (traceEvent.From << 16) ^ (traceEvent.To << 32));
        hash = Mix(hash, traceEvent.Term);
        hash = Mix(hash, traceEvent.Index);
        hash = Mix(hash, traceEvent.Extra);
        Hash = hash;
    }

    public void Message(long time, TraceKind kind, in RaftMessage message) =>
        Record(new TraceEvent(time, kind, message.To, message.Type, message.From, message.To, message.Term, message.Index,
            message.Reject ? ulong.MaxValue : message.Commit, null));

    public void Note(long time, TraceKind kind, ulong node, ulong term, ulong index, string text)
    {
        Record(new TraceEvent(time, kind, node, default, 0, 0, term, index, (ulong)text.Length, text));
    }

    public string Format()
    {
        var lines = new List<string>();
        long first = Math.Max(0, _count - Capacity);
        for (long i = first; i < _count; i++)
        {
            lines.Add(_ring[i % Capacity].ToString());
        }

        Invariant.Check(lines.Count <= Capacity, "trace longer than its ring");
        return string.Join('\n', lines);
    }

    private static ulong Mix(ulong hash, ulong value)
    {
        hash ^= value;
        hash *= 0x100000001B3UL;
        return hash ^ (hash >> 29);
    }
}
