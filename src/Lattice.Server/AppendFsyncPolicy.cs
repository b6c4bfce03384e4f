namespace Lattice.Server;

/// <summary>When a write's log record must reach the disk, as Redis's appendfsync.</summary>
public enum AppendFsyncPolicy
{
    /// <summary>fsync before the reply: an acknowledged write survives a power loss.</summary>
    Always,

    /// <summary>Written to the OS before the reply, fsynced once a second: survives a process crash.</summary>
    EverySec,

    /// <summary>Written to the OS before the reply; the OS decides when it reaches the disk.</summary>
    No,
}
