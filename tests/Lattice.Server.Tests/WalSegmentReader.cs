using System.Buffers.Binary;

namespace Lattice.Server.Tests;

/// <summary>
/// Walks a segment file of the write-ahead log independently of the server's code, following the documented
/// format (src/Lattice.Storage/README.md): a 32-byte header, then records of
/// <c>u32 payloadLength | u32 crc32c | u8 type | u64 groupId | i64 index | i64 term | payload</c>.
/// </summary>
public static class WalSegmentReader
{
    public const int SegmentHeaderBytes = 32;
    public const int RecordHeaderBytes = 33;

    /// <summary>The offset of the first byte the record CRC covers (type), relative to the record start.</summary>
    public const int ChecksummedFrom = 8;

    public static string WalDirectory(string dataDirectory) => Path.Combine(dataDirectory, "wal");

    /// <summary>Segment files in log order (their names sort that way).</summary>
    public static IReadOnlyList<string> Segments(string dataDirectory) =>
        Directory.Exists(WalDirectory(dataDirectory))
            ? [.. Directory.GetFiles(WalDirectory(dataDirectory), "*.wal").Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The whole records of a segment, in order; stops at the first one that does not fit in the file.</summary>
    public static IReadOnlyList<WalRecord> Records(string segmentPath)
    {
        byte[] bytes = File.ReadAllBytes(segmentPath);
        var records = new List<WalRecord>();
        long offset = SegmentHeaderBytes;
        while (offset + RecordHeaderBytes <= bytes.Length)
        {
            uint payload = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset));
            if (bytes[(int)offset + ChecksummedFrom] == 0 || payload > bytes.Length - offset - RecordHeaderBytes)
            {
                break;
            }

            records.Add(new WalRecord(offset, RecordHeaderBytes + (int)payload, (int)payload));
            offset += RecordHeaderBytes + payload;
        }

        return records;
    }

    public static string Describe(string dataDirectory)
    {
        var lines = new List<string>();
        foreach (string file in Directory.GetFiles(dataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(dataDirectory, file);
            string records = file.EndsWith(".wal", StringComparison.Ordinal) ? $", {Records(file).Count} records" : "";
            lines.Add($"{relative}: {new FileInfo(file).Length} bytes{records}");
        }

        return string.Join('\n', lines);
    }
}
