namespace Lattice.Raft.Tests.Scenarios;

public sealed class SnapshotScenarioTests
{
    /// <summary>
    /// Raft §7: "the leader must occasionally send snapshots to followers that lag behind ... when the leader has
    /// already discarded the next log entry that it needs to send to a follower." Sent here in chunks.
    /// </summary>
    [Fact]
    public void A_follower_behind_the_compacted_log_catches_up_from_a_chunked_snapshot()
    {
        var cluster = new TestCluster(voters: 3, configure: o => o with { SnapshotChunkBytes = 7 });
        cluster.Elect(1);
        cluster.Isolate(3);
        for (int i = 0; i < 5; i++)
        {
            cluster.Propose(1, "e" + i);
        }

        TestNode leader = cluster[1];
        ulong applied = leader.Raft.AppliedIndex;
        byte[] image = "state-machine-image-0123456789"u8.ToArray();
        leader.Storage.CreateSnapshot(applied, leader.Conf, image);
        leader.Storage.Compact(applied);

        cluster.Heal();
        cluster.TickAll(8);

        int chunks = cluster.Delivered.FindAll(m => m.Type == MessageType.SnapshotChunk && m.To == 3).Count;
        Assert.True(chunks >= (image.Length + 6) / 7, $"snapshot went in {chunks} chunks");
        Assert.Equal(applied, cluster[3].Storage.Snapshot().Metadata.Index);
        Assert.True(cluster[3].Storage.Snapshot().Data.Span.SequenceEqual(image));
        Assert.Equal(leader.Raft.CommitIndex, cluster[3].Raft.CommitIndex);

        // Replication resumes with ordinary appends after the snapshot.
        cluster.Propose(1, "after");
        Assert.Equal(["after"], cluster[3].AppliedTexts());
    }

    /// <summary>A lost chunk is resent on the next heartbeat answer; duplicates are ignored.</summary>
    [Fact]
    public void Lost_snapshot_chunks_are_resent()
    {
        var cluster = new TestCluster(voters: 3, configure: o => o with { SnapshotChunkBytes = 4 });
        cluster.Elect(1);
        cluster.Isolate(3);
        cluster.Propose(1, "x");
        TestNode leader = cluster[1];
        leader.Storage.CreateSnapshot(leader.Raft.AppliedIndex, leader.Conf, new byte[20]);
        leader.Storage.Compact(leader.Raft.AppliedIndex);
        cluster.Heal();

        // Chunk acknowledgements are lost for a while; the transfer resumes from heartbeat answers.
        cluster.Cut(3, 1);
        cluster.TickAll(2);
        cluster.Heal();
        cluster.TickAll(12);

        Assert.Equal(leader.Raft.AppliedIndex, cluster[3].Storage.Snapshot().Metadata.Index);
    }
}
