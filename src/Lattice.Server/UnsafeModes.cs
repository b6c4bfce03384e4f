namespace Lattice.Server;

/// <summary>
/// --unsafe (testing only): deliberate consistency bugs a cluster node can run with, so the chaos harness can show
/// that it catches them. Never for real use.
/// </summary>
[Flags]
public enum UnsafeModes
{
    None = 0,

    /// <summary>stale-reads: strong reads skip the read barrier and are served from this replica's state, maybe stale.</summary>
    StaleReads = 1,

    /// <summary>
    /// early-ack: the data group's leader applies (and so answers) writes once they are in its own log, before a
    /// majority has them; a write acknowledged this way can be lost when the leader changes.
    /// </summary>
    EarlyAck = 2,
}
