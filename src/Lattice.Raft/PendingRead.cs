namespace Lattice.Raft;

/// <summary>A ReadIndex request waiting for its heartbeat round: answer <see cref="From"/> with <see cref="Index"/>.</summary>
internal readonly record struct PendingRead(ulong RequestId, ulong From, ulong Index, ulong Sequence);
