using System.Buffers;
using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>
/// The flusher's side: swap the batch, write it into segments (rolling over as they fill), fsync. Records are written
/// over zeros laid down ahead of them (<see cref="ZeroAheadBytes"/> at a time), so a flush seldom changes the file's
/// size and its sync (fdatasync) has no metadata to write: on ext4 a sync then costs 35-40 % less
/// (docs/performance.md). Recovery reads zeros after the last record of the last segment as its end; a full segment
/// is cut back to its records before the next one is created.
/// </summary>
public sealed partial class WriteAheadLog
{
    private const int ZeroAheadBytes = 1024 * 1024;
    private const int MappingWindowBytes = 2 * 1024 * 1024;
    private static readonly byte[] Zeros = new byte[256 * 1024];

    // Flusher side: changed only by the single flusher thread; what Replay and ReleaseUpTo read is under _segmentsLock.
    private readonly Lock _segmentsLock = new();
    private readonly GroupLogSet _written;
    private readonly List<Segment> _segments;
    private readonly Dictionary<ulong, GroupLogEnd> _batchEnds = [];
    private readonly Dictionary<ulong, GroupLogEnd> _unsyncedEnds = [];
    private readonly FlushResult _flushResult = new();
    private SafeFileHandle _activeHandle;
    private SegmentMapping? _activeMapping;

    // Set once mapping is unavailable (not Linux, or mmap failed): flushes then write with a call, as synced ones do.
    private bool _mappingFailed;

    /// <summary>The active segment's length: past its records, every byte up to here is zero.</summary>
    private long _zeroedEnd;
    private bool _hasUnsyncedWrites;
    private long _writtenSequence;
    private int _flushing;

    private Segment _activeSegment;

    /// <summary>Flushes whose records were copied into the mapped segment rather than written (for tests).</summary>
    internal long MappedWrites { get; private set; }

    /// <summary>
    /// Group commit, called by one flusher thread: swaps the batch (appends continue into the other buffer), writes
    /// it to the segment file, and when <paramref name="sync"/> is true fsyncs. Returns what was written, and with
    /// sync everything that became durable, including records written by earlier unsynced flushes. Without sync the
    /// data still reaches the OS, so it survives a process kill but not a machine crash. After an I/O error the log
    /// refuses further writes: after a failed fsync the page cache can no longer be trusted.
    /// </summary>
    public FlushResult Flush(bool sync)
    {
        if (Interlocked.Exchange(ref _flushing, 1) != 0)
        {
            // Dispose takes the flusher's turn to unmap the segment; anyone else here is a second flusher.
            ObjectDisposedException.ThrowIf(_disposed, this);
            Invariant.Fail("Flush is called by one thread at a time");
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfFailed();

            AppendBuffer batch = SwapBatch();
            try
            {
                return WriteBatchAndSync(batch, sync);
            }
            catch (Exception e)
            {
                _failure ??= e;
                throw;
            }
            finally
            {
                batch.Reset();
                lock (_appendLock)
                {
                    _spareBatch = batch;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }
    }

    private AppendBuffer SwapBatch()
    {
        lock (_appendLock)
        {
            Invariant.Check(_spareBatch is not null, "the spare batch came back from the previous flush");
            AppendBuffer full = _activeBatch;
            _activeBatch = _spareBatch;
            _spareBatch = null;
            Volatile.Write(ref _pendingBytes, 0);
            return full;
        }
    }

    private FlushResult WriteBatchAndSync(AppendBuffer batch, bool sync)
    {
        _batchEnds.Clear();
        ReadOnlySpan<byte> bytes = batch.Written;
        if (bytes.Length > 0)
        {
            WriteRecords(bytes, mapped: !sync);
            Invariant.Check(batch.LastSequence > _writtenSequence, "flushes write sequences in order");
            _writtenSequence = batch.LastSequence;
            _hasUnsyncedWrites = true;
        }

        foreach (GroupLogEnd end in _batchEnds.Values)
        {
            _unsyncedEnds[end.GroupId] = end;
        }

        if (!sync)
        {
            return _flushResult.Reset(false, batch.RecordCount, bytes.Length, _writtenSequence, _batchEnds);
        }

        if (_hasUnsyncedWrites)
        {
            DataSync.Flush(_activeHandle);
            _hasUnsyncedWrites = false;
        }

        FlushResult result = _flushResult.Reset(true, batch.RecordCount, bytes.Length, _writtenSequence, _unsyncedEnds);
        _unsyncedEnds.Clear();
        return result;
    }

    /// <summary>
    /// Writes the batch's records into the active segment (rolling over as it fills). With <paramref name="mapped"/>
    /// they are copied into the mapped segment where it can take them: that saves a write call per flush when the
    /// log is not synced per flush. A synced flush writes with a call: after each sync the kernel write-protects the
    /// pages again, so the next copy would pay a page fault instead, and measured it was no faster.
    /// </summary>
    private void WriteRecords(ReadOnlySpan<byte> bytes, bool mapped)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            int chunkEnd;
            bool roll;
            long nextFirstIndex;
            lock (_segmentsLock)
            {
                chunkEnd = PlaceRecordsLocked(bytes, offset, out roll, out nextFirstIndex);
            }

            Invariant.Check(chunkEnd > offset || roll, "each pass writes records or rolls the segment");
            if (chunkEnd > offset)
            {
                Segment active = _activeSegment;
                long recordsEnd = active.SizeBytes + (chunkEnd - offset);
                if (mapped && recordsEnd <= _zeroedEnd && MappingFor(active.SizeBytes, recordsEnd) is { } mapping)
                {
                    // Over zeros already written: the pages have their blocks (see SegmentMapping).
                    mapping.Write(active.SizeBytes, bytes[offset..chunkEnd]);
                    MappedWrites++;
                }
                else
                {
                    RandomAccess.Write(_activeHandle, bytes[offset..chunkEnd], active.SizeBytes);
                }

                ZeroAhead(recordsEnd);
                lock (_segmentsLock)
                {
                    active.SizeBytes += chunkEnd - offset;
                }
            }

            offset = chunkEnd;
            if (roll)
            {
                RollSegment(nextFirstIndex);
            }
        }
    }

    /// <summary>The active segment's mapped window over [start, end), moving the window when it does not cover it; null without one.</summary>
    private SegmentMapping? MappingFor(long start, long end)
    {
        if (_activeMapping is { } current && current.Covers(start, end))
        {
            return current;
        }

        if (_mappingFailed)
        {
            return null;
        }

        _activeMapping?.Dispose();
        long page = Environment.SystemPageSize;
        long windowStart = start / page * page;
        _activeMapping = SegmentMapping.TryMap(_activeHandle, windowStart, Math.Max(MappingWindowBytes, end - windowStart));
        _mappingFailed = _activeMapping is null;
        return _activeMapping;
    }

    /// <summary>
    /// Once the records reach past the zeros laid down, lays down the next <see cref="ZeroAheadBytes"/> (never past
    /// where the segment rolls over). These writes are covered by the same sync as the records before them.
    /// </summary>
    private void ZeroAhead(long recordsEnd)
    {
        if (recordsEnd < _zeroedEnd)
        {
            return;
        }

        long target = Math.Min(recordsEnd + ZeroAheadBytes, _options.SegmentSizeBytes);
        long offset = recordsEnd;
        while (offset < target)
        {
            int length = (int)Math.Min(Zeros.Length, target - offset);
            RandomAccess.Write(_activeHandle, Zeros.AsSpan(0, length), offset);
            offset += length;
        }

        _zeroedEnd = Math.Max(recordsEnd, target);
    }

    /// <summary>Places records from <paramref name="offset"/> until the batch ends or the active segment is full.</summary>
    private int PlaceRecordsLocked(ReadOnlySpan<byte> bytes, int offset, out bool roll, out long nextFirstIndex)
    {
        Segment active = _activeSegment;
        long segmentBytes = active.SizeBytes;
        int position = offset;
        while (position < bytes.Length)
        {
            RecordHeader header = RecordFormat.ReadHeader(bytes[position..]);
            Invariant.Check(position + header.TotalBytes <= bytes.Length, "the batch holds whole records");
            if (segmentBytes + header.TotalBytes > _options.SegmentSizeBytes && segmentBytes > active.InitialSizeBytes)
            {
                roll = true;
                nextFirstIndex = header.Type == RecordType.Entry ? header.Index : 0;
                return position;
            }

            ReadOnlySpan<byte> payload = bytes.Slice(position + RecordFormat.HeaderBytes, (int)header.PayloadLength);
            string? problem = RecordPlacer.TryPlace(header, payload, new LogPosition(active.Sequence, segmentBytes), active, _written);
            if (problem is not null)
            {
                Invariant.Fail($"an appended record did not place: {problem}");
            }

            if (header.Type is RecordType.Entry or RecordType.SnapshotMarker)
            {
                _batchEnds[header.GroupId] = new GroupLogEnd(header.GroupId, header.Index, header.Term);
            }

            active.RecordCount++;
            segmentBytes += header.TotalBytes;
            position += (int)header.TotalBytes;
        }

        roll = false;
        nextFirstIndex = 0;
        return position;
    }

    /// <summary>
    /// Closes the full segment and starts the next. The old one is fsynced first, so a torn tail can only ever be in
    /// the last segment. The new one starts with a copy of every group's hard state, so deleting old segments never
    /// loses the latest hard state.
    /// </summary>
    private void RollSegment(long firstIndex)
    {
        Segment previous = _activeSegment;
        _activeMapping?.Dispose();
        _activeMapping = null;
        if (_zeroedEnd > previous.SizeBytes)
        {
            // Only the last segment may end in zeros (recovery treats zeros elsewhere as damage).
            RandomAccess.SetLength(_activeHandle, previous.SizeBytes);
        }

        RandomAccess.FlushToDisk(_activeHandle);
        long sequence = previous.Sequence + 1;
        string name = SegmentFileName.Format(sequence, firstIndex);
        int prologueBytesMax = SegmentHeader.Bytes + (_written.Count * (RecordFormat.HeaderBytes + RecordFormat.HardStatePayloadBytes));
        byte[] prologue = ArrayPool<byte>.Shared.Rent(prologueBytesMax);
        try
        {
            int length = WritePrologue(prologue, sequence, firstIndex, out int records);
            SegmentFiles.CreateDurably(WalDirectory, name, prologue.AsSpan(0, length));
            var segment = new Segment(Path.Combine(WalDirectory, name), sequence, firstIndex, length) { RecordCount = records };
            SafeFileHandle handle = SegmentFiles.OpenForAppend(segment.Path);
            SafeFileHandle old = _activeHandle;
            lock (_segmentsLock)
            {
                _segments.Add(segment);
                _activeSegment = segment;
                _activeHandle = handle;
            }

            _zeroedEnd = length;

            old.Dispose();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(prologue);
        }
    }

    private int WritePrologue(Span<byte> destination, long sequence, long firstIndex, out int records)
    {
        new SegmentHeader(sequence, firstIndex).Write(destination);
        int length = SegmentHeader.Bytes;
        records = 0;
        Span<byte> payload = stackalloc byte[RecordFormat.HardStatePayloadBytes];
        foreach (GroupLog group in _written.Groups)
        {
            if (group.HardState is not { } state)
            {
                continue;
            }

            RecordFormat.WriteHardStatePayload(payload, state);
            Span<byte> header = destination.Slice(length, RecordFormat.HeaderBytes);
            RecordFormat.WriteHeader(header, RecordType.HardState, group.GroupId, state.Commit, state.Term, payload);
            payload.CopyTo(destination[(length + RecordFormat.HeaderBytes)..]);
            length += RecordFormat.HeaderBytes + RecordFormat.HardStatePayloadBytes;
            records++;
        }

        Invariant.Check(length <= destination.Length, "the prologue fits its buffer");
        return length;
    }
}
