namespace Lattice.Raft;

/// <summary>What a log entry carries: application data or a membership change.</summary>
public enum EntryType : byte
{
    Normal = 0,
    ConfChange = 1,
}
