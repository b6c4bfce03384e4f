namespace Lattice.Storage;

/// <summary>Every limit of the write-ahead log, validated once by <see cref="WriteAheadLog.Open"/>.</summary>
public sealed class WriteAheadLogOptions
{
    public const long MiB = 1024 * 1024;

    /// <summary>The node's data directory; the log lives in its <c>wal/</c> folder and locks its <c>LOCK</c> file.</summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>A segment rolls over before a record would take it past this size.</summary>
    public long SegmentSizeBytes { get; set; } = 64 * MiB;

    /// <summary>Largest record, header included: a 512 MiB value plus room for the command around it.</summary>
    public int MaxRecordBytes { get; set; } = (int)(512 * MiB + MiB);

    /// <summary>Above this many unflushed bytes <see cref="WriteAheadLog.NeedsBackpressure"/> turns true; appends still succeed.</summary>
    public long PendingBytesHighWater { get; set; } = 64 * MiB;

    /// <summary>Hard bound on the unflushed batch; an append past it throws instead of growing memory without end.</summary>
    public long PendingBytesMax { get; set; } = 1024 * MiB;

    /// <summary>Recovery refuses a log with more segments than this (a runaway directory, not a log).</summary>
    public int SegmentCountMax { get; set; } = 100_000;

    /// <summary>Most groups the log tracks at once.</summary>
    public int GroupCountMax { get; set; } = 1 << 20;

    /// <summary>Receives operator-facing messages such as "torn tail truncated at file X offset N".</summary>
    public Action<string>? Log { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("WriteAheadLogOptions.Directory must name the data directory");
        }

        Require(MaxRecordBytes > RecordFormat.HeaderBytes, "MaxRecordBytes must exceed the record header size");
        Require(SegmentSizeBytes > SegmentHeader.Bytes + RecordFormat.HeaderBytes, "SegmentSizeBytes is too small for one record");
        Require(PendingBytesMax >= MaxRecordBytes, "PendingBytesMax must hold at least one record of MaxRecordBytes");
        Require(PendingBytesMax <= Array.MaxLength, "PendingBytesMax must fit in one array");
        Require(PendingBytesHighWater > 0 && PendingBytesHighWater <= PendingBytesMax, "PendingBytesHighWater must be in (0, PendingBytesMax]");
        Require(SegmentCountMax > 0, "SegmentCountMax must be positive");
        Require(GroupCountMax > 0, "GroupCountMax must be positive");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
