namespace Lattice.Engine;

[Flags]
public enum CommandFlags
{
    None = 0,

    /// <summary>Changes data: goes through the log and is applied in log order.</summary>
    Write = 1,

    /// <summary>Reads data only: runs against the applied state.</summary>
    ReadOnly = 2,

    /// <summary>O(1) or O(log n).</summary>
    Fast = 4,

    /// <summary>May grow memory (refused when out of memory, later).</summary>
    DenyOom = 8,

    /// <summary>Not called by clients by name: entries the node itself logs (expiry deletes), and transaction forms.</summary>
    Internal = 16,

    /// <summary>Connection or server command handled by the node, not the engine.</summary>
    Server = 32,

    /// <summary>Refused inside MULTI (MULTI, WATCH, …).</summary>
    NoMulti = 64,

    /// <summary>Reply depends on randomness (RANDOMKEY, SRANDMEMBER).</summary>
    Random = 128,

    /// <summary>Administrative (FLUSHALL, CONFIG, SAVE).</summary>
    Admin = 256,

    /// <summary>
    /// The transaction form of a connection command (PING, ECHO, SELECT, TIME): the node answers the command itself,
    /// and queues this form when a client sends it inside MULTI. Always <see cref="Internal"/> too.
    /// </summary>
    TransactionOnly = 512,
}
