using Lattice.Common;

namespace Lattice.Server.Cluster;

/// <summary>
/// Cuts a follower's queued proposal records for the leader into frames of whole runs (a session's consecutive
/// records), each up to a byte budget (a run larger than the budget goes alone), so a cycle that queued more than
/// one frame may carry is sent in several instead of being refused whole. Runs are never cut: the leader takes or
/// drops a frame whole, and a session's later write must not be logged after an earlier one of its run was not.
/// </summary>
internal static class ForwardFrameSplit
{
    /// <summary>Bytes of <paramref name="records"/> that make up the next frame: at least one whole run.</summary>
    public static int NextFrameBytes(ReadOnlySpan<byte> records, int budget)
    {
        Invariant.Check(!records.IsEmpty, "a frame is cut from queued records");
        int frame = 0;
        while (frame < records.Length)
        {
            int run = RunBytes(records[frame..]);
            if (frame > 0 && (long)frame + run > budget)
            {
                break;
            }

            frame += run;
        }

        return frame;
    }

    private static int RunBytes(ReadOnlySpan<byte> records)
    {
        ReadOnlySpan<byte> rest = records;
        _ = ClusterNode.NextRecord(ref rest, out _, out ProposalOrigin first);
        while (!rest.IsEmpty)
        {
            ReadOnlySpan<byte> afterNext = rest;
            _ = ClusterNode.NextRecord(ref afterNext, out _, out ProposalOrigin origin);
            if (origin.Node != first.Node || origin.Incarnation != first.Incarnation || origin.Session != first.Session)
            {
                break;
            }

            rest = afterNext;
        }

        return records.Length - rest.Length;
    }
}
