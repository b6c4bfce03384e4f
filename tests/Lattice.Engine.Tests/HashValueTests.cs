using System.Text;
using static Lattice.Engine.Tests.HashListReplies;

namespace Lattice.Engine.Tests;

public sealed class HashValueTests
{
    [Fact]
    public void A_clone_keeps_fields_in_their_slots_so_hscan_cursors_stay_valid()
    {
        var hash = new HashValue();
        for (int i = 0; i < 40; i++)
        {
            hash.Set(Encoding.ASCII.GetBytes($"f{i}"), Encoding.ASCII.GetBytes($"v{i}"));
        }

        for (int i = 0; i < 40; i += 3)
        {
            hash.Remove(Encoding.ASCII.GetBytes($"f{i}"));
        }

        var copy = (HashValue)hash.Clone();
        Assert.Equal(hash.Count, copy.Count);
        Assert.Equal(hash.Fields.SlotCount, copy.Fields.SlotCount);
        for (int slot = 0; slot < hash.Fields.SlotCount; slot++)
        {
            Assert.Equal(hash.Fields.KeyAt(slot), copy.Fields.KeyAt(slot));
        }

        copy.Set("f1"u8, "changed"u8.ToArray());
        copy.Remove("f2"u8);
        Assert.Equal("v1"u8.ToArray(), hash.Get("f1"u8));
        Assert.True(hash.Contains("f2"u8));
    }

    [Fact]
    public void Estimated_bytes_follow_fields_and_values()
    {
        var hash = new HashValue();
        long empty = hash.EstimateBytes();
        hash.Set("field"u8, new byte[1000]);
        long one = hash.EstimateBytes();
        Assert.True(one >= empty + 1005);
        hash.Set("field"u8, new byte[10]);
        Assert.True(hash.EstimateBytes() <= one - 990);
        hash.Remove("field"u8);
        Assert.Equal(empty, hash.EstimateBytes());
    }

    [Fact]
    public void A_snapshot_round_trip_restores_every_hash_and_ignores_later_writes()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1", "b", "2");
        h.Run("HSET", "other", "x", "y");
        h.Run("PEXPIRE", "other", "100000");
        DatabaseSnapshot snapshot = h.Machine.Database.BeginSnapshot();
        string before = Contents(h.Machine.Database, h.NowMs);

        // Copy-on-write: the snapshot keeps the old contents while the hashes change.
        h.Run("HSET", "h", "a", "changed", "c", "3");
        h.Run("HSET", "h", "b", "9");
        h.Run("HDEL", "other", "x");
        h.Run("HINCRBY", "h", "n", "1");
        Database restored = h.EndSnapshotAndRestore(snapshot);
        Assert.Equal(before, Contents(restored, h.NowMs));
        Assert.Contains("hash:", before, StringComparison.Ordinal);
        Assert.NotEqual(before, Contents(h.Machine.Database, h.NowMs));
        Assert.Equal(Bulk("changed"), h.Run("HGET", "h", "a"));
        Assert.Equal(Int(0), h.Run("EXISTS", "other"));
    }

    [Fact]
    public void A_damaged_hash_snapshot_is_refused_with_invalid_data()
    {
        var hash = new HashValue();
        hash.Set("ab"u8, "1"u8.ToArray());
        hash.Set("c"u8, "2"u8.ToArray());
        byte[] good = ListValueTests.Serialise(hash);
        Assert.Equal(2, HashValue.ReadSnapshot(new BinaryReader(new MemoryStream(good))).Count);
        foreach (byte[] bad in ListValueTests.Damage(good))
        {
            Assert.Throws<InvalidDataException>(() => HashValue.ReadSnapshot(new BinaryReader(new MemoryStream(bad))));
        }

        // Count 2, then the first field/value record twice: a hash never holds a field twice.
        int firstRecordBytes = 4 + 2 + 4 + 1;
        byte[] record = good[4..(4 + firstRecordBytes)];
        byte[] duplicate = [.. good[..4], .. record, .. record];
        Assert.Throws<InvalidDataException>(() => HashValue.ReadSnapshot(new BinaryReader(new MemoryStream(duplicate))));
    }
}
