namespace Lattice.Raft;

/// <summary>
/// A confirmed read: once the local applied index reaches <see cref="Index"/>, the state machine may answer the
/// read identified by <see cref="RequestId"/> and the answer is linearizable.
/// </summary>
public readonly record struct ReadState(ulong Index, ulong RequestId);
