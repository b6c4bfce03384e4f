using static Lattice.Storage.Tests.LogTestKit;

namespace Lattice.Storage.Tests;

public sealed class SnapshotFileTests
{
    [Fact]
    public void Write_find_and_read_round_trip()
    {
        using var dir = new TempDirectory();
        byte[] payload = MakePayload(300_000, seed: 1);
        SnapshotInfo written = SnapshotFile.Write(dir.Path, index: 42, term: 7, stream => stream.Write(payload));
        Assert.Equal(Path.Combine(dir.Path, "snapshot-00000000000000000042.snap"), written.Path);
        Assert.Equal(payload.Length, written.PayloadBytes);

        SnapshotInfo found = Assert.IsType<SnapshotInfo>(SnapshotFile.FindNewest(dir.Path));
        Assert.Equal(written, found);
        Assert.Equal(payload, ReadPayload(found));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void An_empty_payload_and_a_reader_that_stops_early_both_work()
    {
        using var dir = new TempDirectory();
        SnapshotInfo empty = SnapshotFile.Write(dir.Path, 1, 1, _ => { });
        Assert.Empty(ReadPayload(empty));

        SnapshotInfo full = SnapshotFile.Write(dir.Path, 2, 1, stream => stream.Write(MakePayload(10_000, 2)));
        SnapshotFile.Read(full, stream => Assert.Equal(10, stream.Read(new byte[10], 0, 10)));
    }

    [Fact]
    public void FindNewest_returns_null_without_snapshots()
    {
        using var dir = new TempDirectory();
        Assert.Null(SnapshotFile.FindNewest(dir.Path));
        Assert.Null(SnapshotFile.FindNewest(Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void Writing_keeps_the_new_snapshot_and_the_previous_one_only()
    {
        using var dir = new TempDirectory();
        for (long index = 10; index <= 50; index += 10)
        {
            SnapshotFile.Write(dir.Path, index, 1, stream => stream.Write(MakePayload(100, (int)index)));
        }

        string[] names = Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(["snapshot-00000000000000000040.snap", "snapshot-00000000000000000050.snap"], names);
        Assert.Equal(50, SnapshotFile.FindNewest(dir.Path)!.Index);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(1000)]
    [InlineData(-20)]
    [InlineData(-9)]
    [InlineData(-1)]
    public void A_flipped_byte_anywhere_is_detected_and_the_previous_snapshot_is_chosen(int offset)
    {
        using var dir = new TempDirectory();
        byte[] older = MakePayload(5000, 1);
        SnapshotFile.Write(dir.Path, 10, 1, stream => stream.Write(older));
        SnapshotInfo newest = SnapshotFile.Write(dir.Path, 20, 2, stream => stream.Write(MakePayload(5000, 2)));
        long length = new FileInfo(newest.Path).Length;
        FlipByte(newest.Path, offset >= 0 ? offset : length + offset);

        CorruptSnapshotException error = Assert.Throws<CorruptSnapshotException>(() => SnapshotFile.Read(newest, _ => Assert.Fail("payload handed out before verification")));
        Assert.Equal(newest.Path, error.FilePath);
        Assert.Contains(newest.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("offset", error.Message, StringComparison.Ordinal);

        var skipped = new List<string>();
        SnapshotInfo fallback = Assert.IsType<SnapshotInfo>(SnapshotFile.FindNewest(dir.Path, skipped.Add));
        Assert.Equal(10, fallback.Index);
        Assert.Equal(older, ReadPayload(fallback));
        Assert.Contains(newest.Path, Assert.Single(skipped), StringComparison.Ordinal);
        Assert.True(File.Exists(newest.Path), "a damaged snapshot is kept for inspection");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(1000)]
    [InlineData(5051)]
    public void A_truncated_snapshot_is_detected(int length)
    {
        using var dir = new TempDirectory();
        SnapshotInfo snapshot = SnapshotFile.Write(dir.Path, 5, 1, stream => stream.Write(MakePayload(5000, 3)));
        Assert.Equal(5052, new FileInfo(snapshot.Path).Length);
        Truncate(snapshot.Path, length);
        CorruptSnapshotException error = Assert.Throws<CorruptSnapshotException>(() => SnapshotFile.Read(snapshot, _ => { }));
        Assert.Equal(snapshot.Path, error.FilePath);
        Assert.Null(SnapshotFile.FindNewest(dir.Path));
    }

    [Fact]
    public void A_snapshot_renamed_to_another_index_is_rejected()
    {
        using var dir = new TempDirectory();
        SnapshotInfo snapshot = SnapshotFile.Write(dir.Path, 5, 1, stream => stream.Write(MakePayload(100, 3)));
        string renamed = Path.Combine(dir.Path, "snapshot-00000000000000000009.snap");
        File.Move(snapshot.Path, renamed);
        CorruptSnapshotException error = Assert.Throws<CorruptSnapshotException>(() => SnapshotFile.Verify(renamed, 9));
        Assert.Contains("index 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_writer_leaves_no_file_behind()
    {
        using var dir = new TempDirectory();
        SnapshotFile.Write(dir.Path, 1, 1, stream => stream.Write(MakePayload(10, 1)));
        Assert.Throws<InvalidOperationException>(() => SnapshotFile.Write(dir.Path, 2, 1, stream =>
        {
            stream.Write(MakePayload(1000, 2));
            throw new InvalidOperationException("serializer failed");
        }));
        Assert.Equal(["snapshot-00000000000000000001.snap"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(1, SnapshotFile.FindNewest(dir.Path)!.Index);
    }

    private static byte[] MakePayload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] ReadPayload(SnapshotInfo snapshot)
    {
        using var copy = new MemoryStream();
        SnapshotFile.Read(snapshot, stream => stream.CopyTo(copy));
        return copy.ToArray();
    }
}
