using System.Runtime.InteropServices;
using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>
/// The node's write-ahead log, shared by all groups. Appends from any thread copy records into an in-memory batch;
/// one flusher thread swaps the batch out and writes (and optionally fsyncs) it, so one fsync covers every record
/// that arrived meanwhile. Opening the log runs recovery. Dispose does not flush: call Flush(true) first.
/// </summary>
public sealed partial class WriteAheadLog : IDisposable
{
    private const int BatchBytesInitial = 1 << 20;
    private const int BatchBytesRetainedMax = 16 << 20;

    private readonly WriteAheadLogOptions _options;
    private readonly DataDirectoryLock _directoryLock;
    private readonly int _payloadBytesMax;

    // Append side, guarded by _appendLock.
    private readonly Lock _appendLock = new();
    private readonly Dictionary<ulong, AppendedGroup> _appended = [];
    private AppendBuffer _activeBatch;
    private AppendBuffer? _spareBatch;
    private long _nextSequence;
    private long _pendingBytes;
    private volatile Exception? _failure;
    private volatile bool _disposed;

    private WriteAheadLog(WriteAheadLogOptions options, string dataDirectory, DataDirectoryLock directoryLock, RecoveredLog recovered, RecoveryInfo recovery)
    {
        _options = options;
        _directoryLock = directoryLock;
        _payloadBytesMax = options.MaxRecordBytes - RecordFormat.HeaderBytes;
        DataDirectory = dataDirectory;
        WalDirectory = DataDirectoryLayout.WalDirectory(dataDirectory);
        SnapshotDirectory = DataDirectoryLayout.SnapshotDirectory(dataDirectory);
        Recovery = recovery;
        _activeBatch = new AppendBuffer(BatchBytesInitial, BatchBytesRetainedMax);
        _spareBatch = new AppendBuffer(BatchBytesInitial, BatchBytesRetainedMax);
        _written = recovered.Groups;
        _segments = recovered.Segments;
        Invariant.Check(_segments.Count > 0, "an open log has an active segment");
        _activeSegment = _segments[^1];
        _activeHandle = SegmentFiles.OpenForAppend(_activeSegment.Path);

        // Recovery left the file ending in its last record (a torn tail was cut off) or in zeros after it.
        _zeroedEnd = RandomAccess.GetLength(_activeHandle);
        foreach (GroupLog group in _written.Groups)
        {
            _appended.Add(group.GroupId, new AppendedGroup
            {
                HasLog = group.HasLog, LastIndex = group.LastIndex, LastTerm = group.LastTerm, HardState = group.HardState,
            });
        }
    }

    public string DataDirectory { get; }

    public string WalDirectory { get; }

    /// <summary>Where <see cref="SnapshotFile"/> should keep this node's snapshots; created by Open.</summary>
    public string SnapshotDirectory { get; }

    /// <summary>What recovery saw when the log was opened.</summary>
    public RecoveryInfo Recovery { get; }

    /// <summary>Bytes appended and not yet handed to a flush.</summary>
    public long PendingBytes => Volatile.Read(ref _pendingBytes);

    public bool HasPendingWrites => PendingBytes > 0;

    /// <summary>True when the unflushed batch passed <see cref="WriteAheadLogOptions.PendingBytesHighWater"/>: slow producers down.</summary>
    public bool NeedsBackpressure => PendingBytes >= _options.PendingBytesHighWater;

    /// <summary>Opens (creating if needed) the log in <see cref="WriteAheadLogOptions.Directory"/>, locks the directory and runs recovery.</summary>
    /// <exception cref="CorruptLogException">The log is damaged beyond a torn tail; no file was changed.</exception>
    /// <exception cref="DataDirectoryInUseException">Another process holds the data directory.</exception>
    public static WriteAheadLog Open(WriteAheadLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string dataDirectory = Path.GetFullPath(options.Directory);
        Directory.CreateDirectory(dataDirectory);
        DataDirectoryLock directoryLock = DataDirectoryLock.Acquire(dataDirectory);
        try
        {
            string walDirectory = DataDirectoryLayout.WalDirectory(dataDirectory);
            CreateDirectoryDurably(dataDirectory, walDirectory);
            CreateDirectoryDurably(dataDirectory, DataDirectoryLayout.SnapshotDirectory(dataDirectory));
            RecoveredLog recovered = LogRecovery.Scan(walDirectory, options);

            // Only now, with the whole log validated, is anything changed on disk.
            RepairAfterScan(walDirectory, recovered, options.Log);

            // Records a killed process wrote but never fsynced may sit only in the page cache; everything recovered
            // is reported durable, so make it so before anyone relies on it.
            SyncRecoveredSegments(walDirectory, recovered);
            var recovery = new RecoveryInfo(
                recovered.Segments.ConvertAll(s => s.Describe()), recovered.RecordCount, recovered.TornTail, recovered.Groups.Describe());
            if (recovered.Segments.Count == 0)
            {
                recovered.Segments.Add(CreateFirstSegment(walDirectory));
            }

            return new WriteAheadLog(options, dataDirectory, directoryLock, recovered, recovery);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds a log entry to the in-memory batch and returns its append sequence (compare with
    /// <see cref="FlushResult.LastSequence"/>). An index at or below the group's last index replaces the suffix from
    /// it (Raft conflict overwrite). Thread-safe; no I/O; no allocation in steady state.
    /// </summary>
    public long Append(ulong groupId, long index, long term, ReadOnlySpan<byte> payload)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, _payloadBytesMax, nameof(payload));
        Span<byte> header = stackalloc byte[RecordFormat.HeaderBytes];
        RecordFormat.WriteHeader(header, RecordType.Entry, groupId, index, term, payload);
        lock (_appendLock)
        {
            ref AppendedGroup group = ref GetAppendedGroupLocked(groupId);
            if (group.HasLog && index > group.LastIndex + 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(index), $"entry {index} of group {groupId} would leave a gap after index {group.LastIndex}");
            }

            long sequence = AppendRecordLocked(header, payload);
            group.HasLog = true;
            group.LastIndex = index;
            group.LastTerm = term;
            return sequence;
        }
    }

    /// <summary>Adds a group's hard state to the batch; the latest one in the log wins at recovery.</summary>
    public long AppendHardState(ulong groupId, long term, ulong vote, long commit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentOutOfRangeException.ThrowIfNegative(commit);
        var state = new HardState(term, vote, commit);
        Span<byte> payload = stackalloc byte[RecordFormat.HardStatePayloadBytes];
        RecordFormat.WriteHardStatePayload(payload, state);
        Span<byte> header = stackalloc byte[RecordFormat.HeaderBytes];
        RecordFormat.WriteHeader(header, RecordType.HardState, groupId, commit, term, payload);
        lock (_appendLock)
        {
            ref AppendedGroup group = ref GetAppendedGroupLocked(groupId);
            long sequence = AppendRecordLocked(header, payload);
            group.HardState = state;
            return sequence;
        }
    }

    /// <summary>
    /// Records that a snapshot at <paramref name="index"/> replaced the group's log (a follower installing a leader's
    /// snapshot): every earlier entry is superseded and the next entry must be index + 1.
    /// </summary>
    public long AppendSnapshotMarker(ulong groupId, long index, long term)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        Span<byte> header = stackalloc byte[RecordFormat.HeaderBytes];
        RecordFormat.WriteHeader(header, RecordType.SnapshotMarker, groupId, index, term, []);
        lock (_appendLock)
        {
            ref AppendedGroup group = ref GetAppendedGroupLocked(groupId);
            long sequence = AppendRecordLocked(header, []);
            group.HasLog = true;
            group.LastIndex = index;
            group.LastTerm = term;
            return sequence;
        }
    }

    /// <summary>Largest payload <see cref="Append"/> accepts; callers refuse bigger entries before appending.</summary>
    public int MaxPayloadBytes => _payloadBytesMax;

    /// <summary>Highest index appended for the group (in memory, maybe not yet written); 0 when the log has none.</summary>
    public long AppendedIndex(ulong groupId)
    {
        lock (_appendLock)
        {
            return _appended.TryGetValue(groupId, out AppendedGroup group) ? group.LastIndex : 0;
        }
    }

    /// <summary>Term of the entry at <see cref="AppendedIndex"/>; 0 when the log has none.</summary>
    public long AppendedTerm(ulong groupId)
    {
        lock (_appendLock)
        {
            return _appended.TryGetValue(groupId, out AppendedGroup group) ? group.LastTerm : 0;
        }
    }

    /// <summary>The latest hard state appended (or recovered) for the group.</summary>
    public HardState? LatestHardState(ulong groupId)
    {
        lock (_appendLock)
        {
            return _appended.TryGetValue(groupId, out AppendedGroup group) ? group.HardState : null;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_appendLock)
        {
            _activeBatch.Dispose();
            _spareBatch?.Dispose();
        }

        // Take the flusher's turn before unmapping: a flush still copying into the mapping must finish first (one that
        // starts later sees _disposed and throws).
        var wait = new SpinWait();
        while (Interlocked.CompareExchange(ref _flushing, 1, 0) != 0)
        {
            wait.SpinOnce();
        }

        _activeMapping?.Dispose();
        _activeMapping = null;
        Volatile.Write(ref _flushing, 0);
        _activeHandle.Dispose();
        _directoryLock.Dispose();
    }

    /// <summary>After an I/O error the log accepts nothing more: the page cache can no longer be trusted.</summary>
    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new IOException("the write-ahead log failed earlier and accepts no more writes", failure);
        }
    }

    private ref AppendedGroup GetAppendedGroupLocked(ulong groupId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfFailed();

        ref AppendedGroup group = ref CollectionsMarshal.GetValueRefOrAddDefault(_appended, groupId, out bool exists);
        if (!exists && _appended.Count > _options.GroupCountMax)
        {
            _appended.Remove(groupId);
            throw new InvalidOperationException($"the write-ahead log already tracks {_options.GroupCountMax} groups");
        }

        return ref group;
    }

    private long AppendRecordLocked(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        long total = (long)header.Length + payload.Length;
        if (_activeBatch.Length + total > _options.PendingBytesMax)
        {
            throw new InvalidOperationException(
                $"the unflushed write-ahead log batch would exceed {_options.PendingBytesMax} bytes; the flusher is not keeping up");
        }

        long sequence = ++_nextSequence;
        _activeBatch.Append(header, payload, sequence);
        Volatile.Write(ref _pendingBytes, _activeBatch.Length);
        Invariant.Check(_activeBatch.LastSequence == sequence, "the batch took the record");
        return sequence;
    }

    private static void CreateDirectoryDurably(string parent, string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        DirectorySync.Flush(parent);
    }

    private static void RepairAfterScan(string walDirectory, RecoveredLog recovered, Action<string>? log)
    {
        if (recovered.TornTail is { } torn)
        {
            Invariant.Check(torn.Path == recovered.Segments[^1].Path, "the torn tail is in the last segment");
            Invariant.Check(torn.Offset == recovered.Segments[^1].SizeBytes, "truncation keeps every valid record");
            using (SafeFileHandle handle = SegmentFiles.OpenForAppend(torn.Path))
            {
                RandomAccess.SetLength(handle, torn.Offset);
                RandomAccess.FlushToDisk(handle);
            }

            log?.Invoke($"write-ahead log: torn tail truncated at file {torn.Path} offset {torn.Offset} ({torn.BytesRemoved} bytes removed: {torn.Reason})");
        }

        foreach (string stale in recovered.StaleTemporaryFiles)
        {
            File.Delete(stale);
            log?.Invoke($"write-ahead log: removed unfinished segment file {stale}");
        }

        if (recovered.StaleTemporaryFiles.Count > 0)
        {
            DirectorySync.Flush(walDirectory);
        }
    }

    private static Segment CreateFirstSegment(string walDirectory)
    {
        Span<byte> header = stackalloc byte[SegmentHeader.Bytes];
        new SegmentHeader(0, 0).Write(header);
        string name = SegmentFileName.Format(0, 0);
        SegmentFiles.CreateDurably(walDirectory, name, header);
        return new Segment(Path.Combine(walDirectory, name), 0, 0, SegmentHeader.Bytes);
    }

    private static void SyncRecoveredSegments(string walDirectory, RecoveredLog recovered)
    {
        foreach (Segment segment in recovered.Segments)
        {
            using SafeFileHandle handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }

        DirectorySync.Flush(walDirectory);
    }
}
