namespace Lattice.Bench.Drivers;

/// <summary>
/// What a Range answered: how many key-values it returned, the total count etcd reported, the first one's
/// mod_revision (0 when none: what a Txn compares against for "still absent") and, when asked for, its value.
/// </summary>
public readonly record struct EtcdRangeResult(int KeyValueCount, long Count, long FirstModRevision, byte[]? FirstValue);
