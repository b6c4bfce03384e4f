using System.Buffers.Binary;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

public sealed class ForwardFrameSplitTests
{
    /// <summary>Records whose payloads have the given lengths, each of session <c>Session</c> (one run per session change).</summary>
    private static byte[] Records(IEnumerable<(int Length, long Session)> records)
    {
        var bytes = new List<byte>();
        long sequence = 0;
        foreach ((int length, long session) in records)
        {
            byte[] record = new byte[ClusterNode.RecordHeaderBytes + ProposalEnvelope.HeaderBytes + length + 1];
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(ProposalEnvelope.HeaderBytes + length + 1));
            ProposalEnvelope.WriteHeader(record.AsSpan(ClusterNode.RecordHeaderBytes), new ProposalOrigin(2, 1, session, ++sequence));
            bytes.AddRange(record);
        }

        return [.. bytes];
    }

    private static byte[] Records(IEnumerable<int> payloadLengths) => Records(payloadLengths.Select((length, i) => (length, (long)i)));

    /// <summary>Where each run (consecutive records of one session) starts.</summary>
    private static List<int> RunStarts(byte[] records)
    {
        var starts = new List<int>();
        long previous = -1;
        for (int at = 0; at < records.Length; at += ClusterNode.RecordHeaderBytes + (int)BinaryPrimitives.ReadUInt32LittleEndian(records.AsSpan(at)))
        {
            long session = BinaryPrimitives.ReadInt64LittleEndian(records.AsSpan(at + ClusterNode.RecordHeaderBytes + 13));
            if (session != previous)
            {
                starts.Add(at);
            }

            previous = session;
        }

        return starts;
    }

    private static int RecordBytes(int payloadLength) => ClusterNode.RecordHeaderBytes + ProposalEnvelope.HeaderBytes + payloadLength + 1;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Frames_hold_whole_runs_and_are_as_full_as_the_budget_allows(int seed)
    {
        var random = new Random(seed);
        int budget = 2_000;
        long session = 0;
        byte[] records = Records(Enumerable.Range(0, 300).Select(_ =>
            (random.Next(8) == 0 ? random.Next(5_000) : random.Next(300), random.Next(3) == 0 ? ++session : session)));
        List<int> starts = RunStarts(records);

        int at = 0;
        int frames = 0;
        while (at < records.Length)
        {
            int frame = ForwardFrameSplit.NextFrameBytes(records.AsSpan(at), budget);
            int end = at + frame;
            Assert.True(end == records.Length || starts.Contains(end), $"frame at {at} ends inside a run");
            int runsInFrame = starts.Count(s => s >= at && s < end);
            Assert.True(frame <= budget || runsInFrame == 1, $"frame of {frame} bytes holds {runsInFrame} runs");
            if (end < records.Length)
            {
                // Maximal: the next run would not have fitted.
                int nextRunEnd = starts.FirstOrDefault(s => s > end, records.Length);
                Assert.True(frame + (nextRunEnd - end) > budget, $"frame at {at} stopped with room for the next run");
            }

            at = end;
            frames++;
        }

        Assert.Equal(records.Length, at);
        Assert.InRange(frames, 2, starts.Count - 1);
    }

    [Fact]
    public void A_run_larger_than_the_budget_goes_alone_and_small_ones_share()
    {
        byte[] records = Records([10, 10, 5_000, 10]);
        int small = RecordBytes(10);
        Assert.Equal(2 * small, ForwardFrameSplit.NextFrameBytes(records, 1_000));
        Assert.Equal(RecordBytes(5_000), ForwardFrameSplit.NextFrameBytes(records.AsSpan(2 * small), 1_000));
        Assert.Equal(small, ForwardFrameSplit.NextFrameBytes(records.AsSpan(records.Length - small), 1_000));
        Assert.Equal(records.Length, ForwardFrameSplit.NextFrameBytes(records, int.MaxValue));
    }

    [Fact]
    public void A_run_is_never_cut_even_past_the_budget()
    {
        // One session's five records of 400 bytes, then another session's: the first frame is the whole first run.
        byte[] records = Records([(400, 1), (400, 1), (400, 1), (400, 1), (400, 1), (10, 2)]);
        Assert.Equal(5 * RecordBytes(400), ForwardFrameSplit.NextFrameBytes(records, 1_000));
    }
}
