using System.Text;

namespace Lattice.Engine.Tests;

public sealed class SetValueTests
{
    [Fact]
    public void Sets_and_sorted_sets_survive_a_snapshot_round_trip()
    {
        using var h = new EngineHarness();
        for (int i = 0; i < 200; i++)
        {
            h.Run("SADD", "s", $"m{i}");
            h.Run("ZADD", "z", $"{i % 17}.25", $"m{i}");
        }

        h.Run("SREM", "s", "m5", "m50");
        h.Run("ZADD", "z", "-inf", "low", "inf", "high");
        h.Machine.Database.SetExpireAt("s"u8, h.NowMs + 60_000);
        Database restored = RoundTrip(h.Machine.Database);
        Assert.Equal(SetContentsDump.Of(h.Machine.Database), SetContentsDump.Of(restored));
    }

    [Fact]
    public void A_snapshot_keeps_the_contents_it_captured_while_sets_change()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "s", "a", "b");
        h.Run("ZADD", "z", "1", "a", "2", "b");
        DatabaseSnapshot snapshot = h.Machine.Database.BeginSnapshot();
        string before = SetContentsDump.Of(h.Machine.Database);
        h.Run("SADD", "s", "c");
        h.Run("SREM", "s", "a");
        h.Run("ZADD", "z", "9", "a", "3", "c");
        h.Run("ZPOPMIN", "z");
        Database restored = h.EndSnapshotAndRestore(snapshot);
        Assert.Equal(before, SetContentsDump.Of(restored));
        Assert.NotEqual(before, SetContentsDump.Of(h.Machine.Database));
        Assert.Equal(":2\r\n", h.Run("SCARD", "s"));
        Assert.Equal("*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\n9\r\n", h.Run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
    }

    [Fact]
    public void A_clone_keeps_members_in_their_slots_so_scan_cursors_stay_valid()
    {
        var set = new SetValue();
        for (int i = 0; i < 40; i++)
        {
            set.Add(Encoding.ASCII.GetBytes($"m{i}"));
        }

        for (int i = 0; i < 40; i += 3)
        {
            set.Remove(Encoding.ASCII.GetBytes($"m{i}"));
        }

        var copy = (SetValue)set.Clone();
        Assert.Equal(set.Count, copy.Count);
        Assert.Equal(set.Members.SlotCount, copy.Members.SlotCount);
        for (int slot = 0; slot < set.Members.SlotCount; slot++)
        {
            Assert.Equal(set.Members.KeyAt(slot), copy.Members.KeyAt(slot));
        }

        copy.Add("new"u8);
        Assert.False(set.Contains("new"u8));
    }

    [Theory]
    [InlineData(ValueKind.Set)]
    [InlineData(ValueKind.SortedSet)]
    public void A_damaged_snapshot_is_refused_with_invalid_data(ValueKind kind)
    {
        byte[] good = Serialize(kind);
        foreach (byte[] damaged in Damage(good, kind == ValueKind.Set ? 9 : 17))
        {
            using var reader = new BinaryReader(new MemoryStream(damaged));
            Assert.Throws<InvalidDataException>(() => Read(kind, reader));
        }
    }

    private static byte[] Serialize(ValueKind kind)
    {
        CollectionValue value;
        if (kind == ValueKind.Set)
        {
            var set = new SetValue();
            set.Add("alpha"u8);
            set.Add("beta"u8);
            value = set;
        }
        else
        {
            var sorted = new SortedSetValue();
            sorted.Set("alpha"u8, 1);
            sorted.Set("beta"u8, 2);
            value = sorted;
        }

        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            value.WriteSnapshot(writer);
        }

        return stream.ToArray();
    }

    private static IEnumerable<byte[]> Damage(byte[] good, int firstRecordBytes)
    {
        yield return good[..^3];
        byte[] hugeCount = (byte[])good.Clone();
        BitConverter.TryWriteBytes(hugeCount.AsSpan(0, 4), int.MaxValue);
        yield return hugeCount;
        byte[] negativeCount = (byte[])good.Clone();
        BitConverter.TryWriteBytes(negativeCount.AsSpan(0, 4), -1);
        yield return negativeCount;
        byte[] hugeMember = (byte[])good.Clone();
        BitConverter.TryWriteBytes(hugeMember.AsSpan(4, 4), 400_000_000);
        yield return hugeMember;
        // Count 2, then the first member's record twice: a set never holds a member twice.
        byte[] firstRecord = good[4..(4 + firstRecordBytes)];
        yield return [.. good[..4], .. firstRecord, .. firstRecord];
    }

    private static CollectionValue Read(ValueKind kind, BinaryReader reader) =>
        kind == ValueKind.Set ? SetValue.ReadSnapshot(reader) : SortedSetValue.ReadSnapshot(reader);

    private static Database RoundTrip(Database database)
    {
        DatabaseSnapshot snapshot = database.BeginSnapshot();
        var stream = new MemoryStream();
        SnapshotCodec.Write(stream, snapshot, 1);
        database.EndSnapshot();
        stream.Position = 0;
        var restored = new Database(hashSeed: 1234);
        SnapshotCodec.Read(stream, restored);
        return restored;
    }
}
