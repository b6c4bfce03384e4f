namespace Lattice.Engine;

/// <summary>
/// One element of a <see cref="SkipList"/>: a member with its score, linked forward on each of its levels
/// (with the number of level-0 steps each link skips) and backward on level 0.
/// </summary>
public sealed class SkipListNode
{
    internal SkipListNode(byte[] member, double score, int levels)
    {
        Member = member;
        Score = score;
        Links = new Link[levels];
    }

    /// <summary>The member bytes; shared with the member table and never mutated.</summary>
    public byte[] Member { get; }

    public double Score { get; internal set; }

    /// <summary>The node before this one in order, or null for the first.</summary>
    public SkipListNode? Previous { get; internal set; }

    /// <summary>The node after this one in order, or null for the last.</summary>
    public SkipListNode? Next => Links[0].Forward;

    internal Link[] Links { get; }

    internal struct Link
    {
        public SkipListNode? Forward;

        /// <summary>Level-0 steps from this node to <see cref="Forward"/> (to one past the end when null).</summary>
        public int Span;
    }
}
