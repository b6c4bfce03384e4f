using Lattice.Testing.History;

namespace Lattice.Testing.Simulation;

/// <summary>A client operation in flight: which node it went to and how it will be answered.</summary>
internal sealed class PendingClientOperation
{
    public required long Id { get; init; }

    public required int Process { get; init; }

    public required int Client { get; init; }

    public required OperationKind Kind { get; init; }

    public required string Key { get; init; }

    public string? Value { get; init; }

    public string? Expected { get; init; }

    public required long InvokeTime { get; init; }

    public required long DeadlineTime { get; init; }

    public required ulong NodeId { get; init; }

    public required int Incarnation { get; init; }

    /// <summary>Reads served by ReadIndex rather than through the log.</summary>
    public bool ViaReadIndex { get; init; }

    /// <summary>Once the ReadIndex is known: the applied index the node must reach before answering.</summary>
    public ulong ReadIndex { get; set; }

    public bool ReadIndexKnown { get; set; }
}
