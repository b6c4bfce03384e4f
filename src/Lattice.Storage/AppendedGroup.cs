namespace Lattice.Storage;

/// <summary>A group's log end as appended in memory (ahead of what is written), for index checks on Append.</summary>
internal struct AppendedGroup
{
    public bool HasLog;
    public long LastIndex;
    public long LastTerm;
    public HardState? HardState;
}
