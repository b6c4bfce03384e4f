using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage.Tests;

/// <summary>Shared helpers: opening logs, recognisable payloads, replaying into lists, copying and comparing files.</summary>
internal static class LogTestKit
{
    public static WriteAheadLog Open(string dataDirectory, long segmentSizeBytes = 64 * WriteAheadLogOptions.MiB, List<string>? log = null) =>
        WriteAheadLog.Open(new WriteAheadLogOptions
        {
            Directory = dataDirectory,
            SegmentSizeBytes = segmentSizeBytes,
            Log = log is null ? null : message => { lock (log) { log.Add(message); } },
        });

    /// <summary>A payload that says which entry it belongs to, so a misplaced one is caught.</summary>
    public static byte[] Payload(ulong groupId, long index, long term, int extraBytes = 8)
    {
        var bytes = new byte[24 + extraBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, groupId);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), index);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), term);
        for (int i = 24; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(index + i);
        }

        return bytes;
    }

    public static List<ReplayedEntry> ReplayAll(WriteAheadLog wal, ulong groupId, long afterIndex = 0)
    {
        var entries = new List<ReplayedEntry>();
        wal.Replay(groupId, afterIndex, (index, term, payload) => entries.Add(new ReplayedEntry(index, term, payload.ToArray())));
        return entries;
    }

    public static void AppendRange(WriteAheadLog wal, ulong groupId, long fromIndex, long toIndex, long term, int extraBytes = 8)
    {
        for (long i = fromIndex; i <= toIndex; i++)
        {
            wal.Append(groupId, i, term, Payload(groupId, i, term, extraBytes));
        }
    }

    public static void AssertEntries(List<ReplayedEntry> entries, ulong groupId, long fromIndex, long toIndex, Func<long, long> termOf, int extraBytes = 8)
    {
        Assert.Equal(toIndex - fromIndex + 1, entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            long index = fromIndex + i;
            Assert.Equal(index, entries[i].Index);
            Assert.Equal(termOf(index), entries[i].Term);
            Assert.Equal(Payload(groupId, index, termOf(index), extraBytes), entries[i].Payload);
        }
    }

    public static string[] SegmentPaths(string dataDirectory)
    {
        string[] paths = Directory.GetFiles(DataDirectoryLayout.WalDirectory(dataDirectory), "*.wal");
        Array.Sort(paths, StringComparer.Ordinal);
        return paths;
    }

    /// <summary>Every file under the directory with its bytes, to prove recovery changed nothing.</summary>
    public static Dictionary<string, byte[]> ReadAllFiles(string directory)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(directory, path)] = File.ReadAllBytes(path);
        }

        return files;
    }

    public static void AssertSameFiles(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (KeyValuePair<string, byte[]> file in expected)
        {
            Assert.True(file.Value.AsSpan().SequenceEqual(actual[file.Key]), $"{file.Key} changed");
        }
    }

    public static void CopyDirectory(string source, string destination)
    {
        foreach (string directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)), overwrite: true);
        }
    }

    public static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0x40));
    }

    public static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength(length);
    }

    /// <summary>
    /// Where the records of a segment end: the log lays down zeros past its last record, so the file's length is not
    /// it. Reads records with the log's own reader until the first that is not one.
    /// </summary>
    public static long RecordsEnd(string path)
    {
        using SafeFileHandle file = File.OpenHandle(path);
        using var reader = new SegmentRecordReader(file, SegmentHeader.Bytes, RandomAccess.GetLength(file), new WriteAheadLogOptions().MaxRecordBytes);
        while (reader.TryReadNext(out _, out _) == RecordReadStatus.Record)
        {
        }

        return reader.Offset;
    }

    /// <summary>Cuts the zeros after a segment's last record, so a test can damage or extend the file's end.</summary>
    public static long CutZeroTail(string path)
    {
        long end = RecordsEnd(path);
        Truncate(path, end);
        return end;
    }

    /// <summary>Bytes of an Entry record on disk: header plus payload.</summary>
    public static long EntryRecordBytes(int extraBytes = 8) => RecordFormat.HeaderBytes + 24 + extraBytes;

    /// <summary>Appends a raw, correctly checksummed record to a file, bypassing the log's own index checks.</summary>
    public static long AppendRawEntry(string path, ulong groupId, long index, long term, byte[] payload)
    {
        var record = new byte[RecordFormat.HeaderBytes + payload.Length];
        RecordFormat.WriteHeader(record.AsSpan(0, RecordFormat.HeaderBytes), RecordType.Entry, groupId, index, term, payload);
        payload.CopyTo(record, RecordFormat.HeaderBytes);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
        long offset = stream.Position;
        stream.Write(record);
        return offset;
    }
}

internal sealed record ReplayedEntry(long Index, long Term, byte[] Payload);
