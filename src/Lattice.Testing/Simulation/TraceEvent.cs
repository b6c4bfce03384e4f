using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>One line of the trace; kept as plain fields so recording it allocates nothing.</summary>
internal readonly record struct TraceEvent(
    long Time, TraceKind Kind, ulong Node, MessageType MessageType, ulong From, ulong To, ulong Term, ulong Index, ulong Extra, string? Text)
{
    public override string ToString()
    {
        string head = $"t={Time,6} {Kind,-14}";
        return Kind switch
        {
            TraceKind.Deliver or TraceKind.Drop => $"{head} {MessageType} {From}->{To} term={Term} index={Index} x={Extra}",
            _ => $"{head} node={Node} term={Term} index={Index} {Text}",
        };
    }
}
