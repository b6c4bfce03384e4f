namespace Lattice.Server.Cluster;

/// <summary>Who proposed an entry: node, that node's process incarnation, session, and the session's sequence.</summary>
internal readonly record struct ProposalOrigin(ulong Node, uint Incarnation, long Session, long Sequence);
