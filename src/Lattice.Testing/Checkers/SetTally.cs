namespace Lattice.Testing.Checkers;

/// <summary>Counts for the set checker's summary line.</summary>
internal sealed class SetTally
{
    public int OkAdds { get; set; }

    public int InfoAdds { get; set; }

    /// <summary>Elements only ever added indeterminately that the final read shows took effect.</summary>
    public int InfoPresent { get; set; }

    public int ConcurrentAbsent { get; set; }
}
